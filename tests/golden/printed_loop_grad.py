def printed_loop_grad(x, n):
    stack = list()
    push = stack.append
    pop = stack.pop
    print('start', x)
    y = x
    for i in range(n):
        push(y)
        t = np.sin(y)
        push(t)
        y = y * t + x
        print('iteration ' + format(i) + ': y = ' + format(y, '.6f'))
    print('end', y)
    # grad of: return y * y
    dy = 2.0 * y
    # grad of: for i in range(n):
    dx = 0.0
    for _ in reversed(range(n)):
        t_1 = pop()
        y_1 = pop()
        # grad of: y = y * np.sin(y) + x
        dx = dx + dy
        dy_1 = dy * t_1
        dy = dy_1 + y_1 * dy * np.cos(y_1)
    dx = dx + dy
    return dx
