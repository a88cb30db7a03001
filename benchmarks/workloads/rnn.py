"""A tanh RNN, 50 steps, batch 32, hidden 64 (inputs of width 32): h = tanh(x_t W + h U + b), the
loss the sum over steps of sum(h**2); the gradient w.r.t. W, U and b."""

import numpy as np

from benchmarks.workload import Workload

STEPS, BATCH, HIDDEN, INPUTS = 50, 32, 64, 32


def rnn_loss(W, U, b, xs, h0):
    h = h0
    loss = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h @ U + b)
        loss = loss + np.sum(h * h)
    return loss


def rnn_grad_hand(W, U, b, xs, h0):
    """Backpropagation through time by hand: keep every h, walk the steps back."""
    hs = [h0]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(xs[t] @ W + hs[-1] @ U + b))
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh = np.zeros_like(h0)
    for t in range(xs.shape[0] - 1, -1, -1):
        h = hs[t + 1]
        da = (dh + 2.0 * h) * (1.0 - h * h)
        dW += xs[t].T @ da
        dU += hs[t].T @ da
        db += np.sum(da, axis=0)
        dh = da @ U.T
    return dW, dU, db


def rnn_args(small):
    rng = np.random.RandomState(3)
    steps, batch, hidden, inputs = (5, 3, 4, 2) if small else (STEPS, BATCH, HIDDEN, INPUTS)
    W = rng.normal(scale=1 / np.sqrt(inputs), size=(inputs, hidden))
    U = rng.normal(scale=0.9 / np.sqrt(hidden), size=(hidden, hidden))
    b = 0.1 * rng.normal(size=hidden)
    return W, U, b, rng.normal(size=(steps, batch, inputs)), np.zeros((batch, hidden))


def rnn_torch(torch):
    def rnn_loss_t(W, U, b, xs, h0):
        h = h0
        loss = 0.0
        for t in range(xs.shape[0]):
            h = torch.tanh(xs[t] @ W + h @ U + b)
            loss = loss + torch.sum(h * h)
        return loss
    return rnn_loss_t


WORKLOAD = Workload(
    name="rnn", title=f"tanh RNN, {STEPS} steps, batch {BATCH}, hidden {HIDDEN}, d/dW, d/dU, d/db",
    primal=rnn_loss, hand=rnn_grad_hand, wrt=(0, 1, 2), make_args=rnn_args, goal=1.1, torch=rnn_torch,
)
