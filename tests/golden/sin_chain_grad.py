def sin_chain_grad(x):
    t = x ** 2 + 1
    # grad of: return np.sin(x ** 2 + 1).sum()
    dx = expand_reduced(1.0, np.sin(t), None, False) * np.cos(t) * 2 * x
    return dx
