def fill_loop_grad(x):
    stack = list()
    push = stack.append
    pop = stack.pop
    n = x.shape[0]
    out = np.zeros(n)
    for i in range(n):
        t = x[i]
        push(t)
        t_1 = np.sin(t)
        push(t_1)
        t_2 = x[i]
        push(t_2)
        out[i] = t_1 * t_2
    # grad of: return np.sum(out ** 2)
    dout = 2.0 * out
    # grad of: for i in range(n):
    dx = zeros_like_input(x)
    for i_1 in reversed(range(n)):
        t_3 = pop()
        t_4 = pop()
        t_5 = pop()
        # grad of: out[i] = np.sin(x[i]) * x[i]
        dt = updated_part(dout, i_1, t_4 * t_3)
        dout = clear_at(dout, i_1)
        dx = add_into(dx, i_1, t_4 * dt, x)
        dx = add_into(dx, i_1, dt * t_3 * np.cos(t_5), x)
    return dx
