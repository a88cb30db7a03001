def quadratic_grad(x):
    # grad of: return A * x ** 2 + B * x + C
    dx = B + A * 2 * x
    return dx
