"""Spec cases of the complex-number and np.fft rules (rules/complex_.py, rules/fft.py): on real
inputs (the real part of a complex cotangent) and on complex ones (directions along the real and
the imaginary axis at once, paired by Re(a * b))."""

from __future__ import annotations

import numpy as np

from sourcead import runtime

from spec import C, _rng, pos, rnd


def cplx(*shape):
    """Complex values away from 0: a normal real part and a normal imaginary part."""
    if not shape:
        return complex(_rng.standard_normal(), _rng.standard_normal())
    return _rng.standard_normal(shape) + 1j * _rng.standard_normal(shape)


CASES = [
    C("real", np.imag, rnd(3, 4)),
    C("complex", np.imag, cplx(3, 4)),
    C("complex-scalar", np.imag, cplx()),
    C("complex", np.ndarray.imag, cplx(3)),
    C("complex", np.real, cplx(3, 4)),
    C("complex", np.ndarray.real, cplx(3)),
    C("complex", np.conjugate, cplx(3, 4)),
    C("complex", np.ndarray.conj, cplx(3)),
    C("real", np.angle, pos(3)),
    C("complex", np.angle, cplx(3, 4)),
    C("deg", np.angle, cplx(4), deg=True),
    C("reals", complex, rnd(), rnd()),
    C("complex-parts", complex, cplx(), cplx()),
    C("real-only", complex, rnd()),
    C("real", runtime.like_input, rnd(3), rnd(3)),
    C("complex", runtime.like_input, cplx(3), cplx(3)),
    C("complex-of-real", runtime.like_input, cplx(3), rnd(3)),
    # the FFT: real and complex inputs, n cutting and padding, axes, norms
    C("complex", np.fft.fft, cplx(8)),
    C("real", np.fft.fft, rnd(6)),
    C("pad", np.fft.fft, cplx(5), 8),
    C("cut-axis0-ortho", np.fft.fft, cplx(6, 3), 4, 0, "ortho"),
    C("forward", np.fft.fft, cplx(5), norm="forward"),
    C("complex", np.fft.ifft, cplx(8)),
    C("pad-ortho", np.fft.ifft, cplx(3, 5), 7, norm="ortho"),
    C("real-forward", np.fft.ifft, rnd(6), norm="forward"),
    C("complex", np.fft.fft2, cplx(4, 5)),
    C("s-axes", np.fft.fft2, cplx(3, 4, 5), (3, 6), (0, 2)),
    C("complex", np.fft.ifft2, cplx(4, 5)),
    C("s-ortho", np.fft.ifft2, cplx(4, 5), (5, 3), norm="ortho"),
    C("complex", np.fft.fftn, cplx(3, 4, 2)),
    C("s", np.fft.fftn, cplx(3, 4, 2), (2, 5)),
    C("real-axes", np.fft.fftn, rnd(3, 4), axes=(0,)),
    C("complex", np.fft.ifftn, cplx(3, 4)),
    C("s-axes-forward", np.fft.ifftn, cplx(3, 4, 2), (4, 3), (0, 2), "forward"),
    C("even", np.fft.rfft, rnd(8)),
    C("odd", np.fft.rfft, rnd(7)),
    C("pad-odd", np.fft.rfft, rnd(6), 9),
    C("cut-axis0-ortho", np.fft.rfft, rnd(8, 3), 5, 0, "ortho"),
    C("forward", np.fft.rfft, rnd(6), norm="forward"),
    C("even", np.fft.irfft, cplx(5)),
    C("odd-n", np.fft.irfft, cplx(5), 9),
    C("short-n", np.fft.irfft, cplx(6), 6),
    C("long-n-axis0-ortho", np.fft.irfft, cplx(4, 3), 10, 0, "ortho"),
    C("forward", np.fft.irfft, cplx(4), norm="forward"),
    C("real", np.fft.irfft, rnd(5)),
    C("complex", np.fft.fftshift, cplx(5, 4)),
    C("axes", np.fft.fftshift, rnd(5, 4), 0),
    C("complex", np.fft.ifftshift, cplx(5, 4)),
    C("axes", np.fft.ifftshift, rnd(5, 4), (1,)),
    C("cut", runtime.fitted, cplx(6, 4), rnd(3, 4), (0,)),
    C("pad", runtime.fitted, rnd(2, 4), rnd(2, 7), (1,)),
    C("both", runtime.fitted, cplx(2, 4), rnd(3, 2), (0, 1)),
]
