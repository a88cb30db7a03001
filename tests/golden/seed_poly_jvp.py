def seed_poly_jvp(x, y, dx, dy):
    t = x * x + 4
    t_1 = x / y
    return t * y - t_1, dx * 2 * x * y + t * dy - (dx / y - dy * t_1 / y)
