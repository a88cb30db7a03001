def mx_square_grad(x):
    # grad of: return x * x * 2
    t = ones_like_output(x) * 2
    dx = t * x
    dx = dx + x * t
    return dx
