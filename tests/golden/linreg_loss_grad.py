def linreg_loss_grad(w, b, X, Y):
    t = X @ w.T
    Y_hat = t + b
    t_1 = Y - Y_hat
    # grad of: return np.mean((Y - Y_hat) ** 2)
    dY_hat = unbroadcast(-(1 / np.size(t_1) * 2 * t_1), Y_hat)
    # grad of: Y_hat = X @ w.T + b
    db = unbroadcast(dY_hat, b)
    dw = (X.T @ unbroadcast(dY_hat, t)).T
    return dw, db
