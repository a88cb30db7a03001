def mse_grad(w, b, x, y_true):
    y_pred = w * x + b
    t = y_pred - y_true
    # grad of: return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]
    dy_pred = unbroadcast(expand_reduced(1.0 / y_true.shape[0], t, None, False) * 2 * t, x)
    # grad of: y_pred = w * x + b
    db = unbroadcast(dy_pred, b)
    dw = vdot(dy_pred, x)
    return dw, db
