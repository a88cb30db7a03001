def fourth_grad(x):
    y = x * x
    # grad of: z = y * y
    dy = y + y
    # grad of: y = x * x
    dx = dy * x
    dx = dx + x * dy
    return dx
