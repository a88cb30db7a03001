def mse_grad(w, b, x, y_true):
    y_pred = w * x + b
    t = y_pred - y_true
    # grad of: return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]
    t_1 = 1.0 / y_true.shape[0] * 2
    # grad of: y_pred = w * x + b
    db = t_1 * t.sum(axis=0)
    dw = t_1 * vdot(t, x)
    return dw, db
