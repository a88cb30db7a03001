def sin_loop_grad(x, n):
    stack = list()
    push = stack.append
    pop = stack.pop
    y = x
    for i in range(n):
        push(y)
        t = math.sin(y)
        push(t)
        y = t * x + 0.1
    # grad of: for i in range(n):
    dy, dx = 1.0, 0.0
    for _ in reversed(range(n)):
        t_1 = pop()
        y_1 = pop()
        # grad of: y = math.sin(y) * x + 0.1
        dx = dx + t_1 * dy
        dy = dy * x * math.cos(y_1)
    dx = dx + dy
    return dx
