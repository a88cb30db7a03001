def mx_control_grad(a):
    b = a * 2
    iterations = 0
    while np.linalg.norm(b) < 1000:
        b = b * 2
        iterations = iterations + 1
    # grad of: if np.sum(b) > 0:
    if np.sum(b) > 0:
        db = 1.0
    else:
        db = 100.0
    # grad of: while np.linalg.norm(b) < 1000:
    for _ in range(iterations):
        # grad of: b = b * 2
        db = db * 2
    # grad of: b = a * 2
    da = broadcast_like(db * 2, a)
    return da
