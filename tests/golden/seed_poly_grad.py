def seed_poly_grad(x, y):
    # grad of: return (x ** 2 + 4) * y - x / y
    dx = -1.0 / y
    dy = x / y / y
    dy = dy + (x * x + 4)
    dx = dx + y * 2 * x
    return dx, dy
