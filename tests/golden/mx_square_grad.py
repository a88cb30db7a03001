def mx_square_grad(x):
    # grad of: return x * x * 2
    dx = 4.0 * x
    return dx
