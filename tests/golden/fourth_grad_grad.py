def fourth_grad_grad(x):
    y = x * x
    # grad of: z = y * y
    dy = y + y
    # grad of: y = x * x
    ddy = x + x
    dx = dy + dy
    # grad of: z = y * y
    dy_1 = ddy + ddy
    # grad of: y = x * x
    dx = dx + dy_1 * x
    dx = dx + x * dy_1
    return dx
