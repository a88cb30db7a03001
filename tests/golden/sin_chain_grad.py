def sin_chain_grad(x):
    # grad of: return np.sin(x ** 2 + 1).sum()
    dx = 2.0 * np.cos(x ** 2 + 1) * x
    return dx
