def fourth_grad_grad(x):
    y = x * x
    # grad of: z = y * y
    dy = 2.0 * y
    # grad of: y = x * x
    ddy = 2.0 * x
    dx = dy * 2.0
    # grad of: z = y * y
    dy_1 = 2.0 * ddy
    # grad of: y = x * x
    dx = dx + 2.0 * (x * dy_1)
    return dx
