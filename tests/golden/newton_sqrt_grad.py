def newton_sqrt_grad(a):
    stack = list()
    push = stack.append
    pop = stack.pop
    x, iterations = a, 0
    while abs(x * x - a) > 1e-12 * a:
        push(x)
        t = a / x
        push(t)
        x = 0.5 * (x + t)
        iterations = iterations + 1
    # grad of: while abs(x * x - a) > 1e-12 * a:
    dx, da = 1.0, 0.0
    for _ in range(iterations):
        t_1 = pop()
        x_1 = pop()
        # grad of: x = 0.5 * (x + a / x)
        dx = 0.5 * dx
        da = da + dx / x_1
        dx = dx - dx * t_1 / x_1
    da = da + dx
    return da
