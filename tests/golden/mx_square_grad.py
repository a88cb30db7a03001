def mx_square_grad(x):
    # grad of: return x * x * 2
    dx = 2.0 * x
    dx = dx + x * 2.0
    return dx
