def fourth_grad(x):
    y = x * x
    # grad of: z = y * y
    dy = 2.0 * y
    # grad of: y = x * x
    dx = dy * x
    dx = 2.0 * dx
    return dx
