def sin_loop_jvp(x, n, dx):
    y, dy = x, dx
    for i in range(n):
        t = math.sin(y)
        dy = dy * math.cos(y) * x + t * dx
        y = t * x + 0.1
    return y, dy
