def sin_chain_grad(x):
    # grad of: return np.sin(x ** 2 + 1).sum()
    dx = expand_reduced(1.0, x, None, False) * np.cos(x ** 2 + 1) * 2 * x
    return dx
