def mse_grad(w, b, x, y_true):
    y_pred = w * x + b
    # grad of: return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]
    dy_pred = unbroadcast(1.0 / y_true.shape[0] * 2 * (y_pred - y_true), x)
    # grad of: y_pred = w * x + b
    db = unbroadcast(dy_pred, b)
    dw = vdot(dy_pred, x)
    return dw, db
