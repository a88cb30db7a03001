def linreg_loss_grad(w, b, X, Y):
    t = w.T
    t_1 = X @ t
    Y_hat = t_1 + b
    t_2 = Y - Y_hat
    # grad of: return np.mean((Y - Y_hat) ** 2)
    dY_hat = unbroadcast(-(expand_reduced(1 / np.size(t_2), t_2, None, False) * 2 * t_2), Y_hat)
    # grad of: Y_hat = X @ w.T + b
    db = unbroadcast(dY_hat, b)
    dw = matmul_adjoint_right(unbroadcast(dY_hat, t_1), X, t).T
    return dw, db
