def fill_loop_grad(x):
    stack = list()
    push = stack.append
    pop = stack.pop
    n = x.shape[0]
    out = np.zeros(n)
    out_1 = out
    for i in range(n):
        out_1 = not_shared(out_1, 'out', ('tests/test_mutation.py', 267, 8), (x, n, i))
        t = x[i]
        push(t)
        t_1 = np.sin(t)
        push(t_1)
        t_2 = x[i]
        push(t_2)
        t_3 = t_1 * t_2
        push(t_3)
        out_1[i] = t_3
    # grad of: return np.sum(out ** 2)
    dout = expand_reduced(1.0, out, None, False) * 2 * out_1
    # grad of: for i in range(n):
    dx = zeros_like_input(x)
    for i_1 in reversed(range(n)):
        t_4 = pop()
        t_5 = pop()
        t_6 = pop()
        t_7 = pop()
        # grad of: out[i] = np.sin(x[i]) * x[i]
        dt = updated_part(dout, i_1, t_4)
        dout = clear_at(dout, i_1)
        dx = add_into(dx, i_1, t_6 * dt, x)
        dx = add_into(dx, i_1, dt * t_5 * np.cos(t_7), x)
    return dx
