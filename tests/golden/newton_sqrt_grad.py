def newton_sqrt_grad(a):
    stack = list()
    push = stack.append
    pop = stack.pop
    x, iterations = a, 0
    while abs(x * x - a) > 1e-12 * a:
        push(x)
        x = 0.5 * (x + a / x)
        iterations = iterations + 1
    # grad of: while abs(x * x - a) > 1e-12 * a:
    dx, da = 1.0, 0.0
    for _ in range(iterations):
        x_1 = pop()
        # grad of: x = 0.5 * (x + a / x)
        dx = 0.5 * dx
        da = da + dx / x_1
        dx = dx - dx * (a / x_1) / x_1
    da = da + dx
    return da
