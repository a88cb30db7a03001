"""An MLP 784 -> 256 -> 10 on a batch of 128: tanh hidden layer, softmax cross-entropy (the stable
form, logits shifted by their row maximum), averaged over the batch; the gradient w.r.t. both
weight matrices and both biases, passed as separate arguments."""

import numpy as np

from benchmarks.workload import Workload

BATCH, INPUTS, HIDDEN, CLASSES = 128, 784, 256, 10


def mlp_loss(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    z = logits - np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.sum(Y * (z - lse)) / X.shape[0]


def mlp_grad_hand(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    p = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    p /= np.sum(p, axis=1, keepdims=True)
    dlogits = (p - Y) / X.shape[0]
    dh = dlogits @ W2.T
    da = dh * (1.0 - h * h)
    return X.T @ da, np.sum(da, axis=0), h.T @ dlogits, np.sum(dlogits, axis=0)


def mlp_args(small):
    rng = np.random.RandomState(2)
    n, d, m, k = (8, 12, 6, 3) if small else (BATCH, INPUTS, HIDDEN, CLASSES)
    W1 = rng.normal(scale=1 / np.sqrt(d), size=(d, m))
    W2 = rng.normal(scale=1 / np.sqrt(m), size=(m, k))
    b1, b2 = 0.1 * rng.normal(size=m), 0.1 * rng.normal(size=k)
    X = rng.normal(size=(n, d))
    Y = np.eye(k)[rng.randint(0, k, size=n)]
    return W1, b1, W2, b2, X, Y


def mlp_torch(torch):
    def mlp_loss_t(W1, b1, W2, b2, X, Y):
        h = torch.tanh(X @ W1 + b1)
        logits = h @ W2 + b2
        z = logits - torch.max(logits, dim=1, keepdim=True).values
        lse = torch.log(torch.sum(torch.exp(z), dim=1, keepdim=True))
        return -torch.sum(Y * (z - lse)) / X.shape[0]
    return mlp_loss_t


WORKLOAD = Workload(
    name="mlp", title=f"MLP {BATCH}x{INPUTS} -> {HIDDEN} -> {CLASSES}, tanh, softmax cross-entropy, d/dW1,b1,W2,b2",
    primal=mlp_loss, hand=mlp_grad_hand, wrt=(0, 1, 2, 3), make_args=mlp_args, goal=1.05, torch=mlp_torch,
)
