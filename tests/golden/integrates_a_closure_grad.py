def integrates_a_closure_grad(x):
    stack = list()
    push = stack.append
    pop = stack.pop
    for i in range(8):
        t = (i + 0.5) / 8
        push(t)
        push(x * t)
    # grad of: for i in range(n):
    ds, dx = 0.125, 0.0
    for _ in reversed(range(8)):
        t_1 = pop()
        t_2 = pop()
        # grad of: return np.sin(x * t) * t
        dx = dx + ds * t_2 * np.cos(t_1) * t_2
    return dx
