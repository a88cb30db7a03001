def integrates_a_closure_grad(x):
    stack = list()
    push = stack.append
    pop = stack.pop
    for i in range(8):
        t = (i + 0.5) / 8
        push(t)
    # grad of: for i in range(n):
    dx = 0.0
    for _ in reversed(range(8)):
        t_1 = pop()
        # grad of: return np.sin(x * t) * t
        dx = dx + 0.125 * t_1 * np.cos(x * t_1) * t_1
    return dx
