"""Rules of np.fft: fft, ifft, rfft, irfft, fft2, ifft2, fftn, ifftn, fftshift, ifftshift, with
their `n`/`s`, `axis`/`axes` and `norm` arguments.

Each transform is linear. Under the pairing Re(a * b) of complex numbers (rules/complex_.py) the
transpose of the discrete Fourier transform is itself (its matrix w^(jk) is symmetric), under the
same `norm`; `n` and `s` cut or zero-pad the input first, whose transpose pads or cuts the
cotangent back (`runtime.fitted`). rfft is fft on a real input keeping the first n//2 + 1 entries:
its cotangent is the real part of the fft of the cotangent zero-padded to n. irfft reads a half
spectrum as the Hermitian full one it stands for, so each entry counts twice except the mean and,
at even n, the Nyquist entry: the cotangent of the half spectrum is those weights times the
conjugate of the rfft of the cotangent, scaled as irfft scales (`runtime.dual_norm`).
"""

from __future__ import annotations

import numpy as np

from .. import runtime
from ..runtime import dual_norm, fft_axes, fitted, like_input, rfft_weights
from .complex_ import mark_complex_result, mark_real_result, mark_supported, real_for_real
from .registry import adjoint, nondifferentiable, tangent


@adjoint(np.fft.fft)
def fft_adjoint(ct, ans, a, n=None, axis=-1, norm=None):
    """Its own transpose (under the pairing Re(a * b)); n cuts or pads, its transpose pads or cuts back."""
    return like_input(np.fft.fft(ct, None, axis, norm) if n is None else fitted(np.fft.fft(ct, None, axis, norm), a,
                                                                                 (axis,)), a)


@tangent(np.fft.fft)
def fft_tangent(t, ans, a, n=None, axis=-1, norm=None):
    return np.fft.fft(t, n, axis, norm)


@adjoint(np.fft.ifft)
def ifft_adjoint(ct, ans, a, n=None, axis=-1, norm=None):
    """As fft: its own transpose; complex or real input."""
    return like_input(np.fft.ifft(ct, None, axis, norm) if n is None else fitted(np.fft.ifft(ct, None, axis, norm), a,
                                                                                  (axis,)), a)


@tangent(np.fft.ifft)
def ifft_tangent(t, ans, a, n=None, axis=-1, norm=None):
    return np.fft.ifft(t, n, axis, norm)


@adjoint(np.fft.fftn)
def fftn_adjoint(ct, ans, a, s=None, axes=None, norm=None):
    """As fft, over `axes` (the last len(s), or all)."""
    return like_input(np.fft.fftn(ct, None, axes, norm) if s is None else
                      fitted(np.fft.fftn(ct, None, fft_axes(a, s, axes), norm), a, fft_axes(a, s, axes)), a)


@tangent(np.fft.fftn)
def fftn_tangent(t, ans, a, s=None, axes=None, norm=None):
    return np.fft.fftn(t, s, axes, norm)


@adjoint(np.fft.ifftn)
def ifftn_adjoint(ct, ans, a, s=None, axes=None, norm=None):
    """As ifft, over `axes` (the last len(s), or all)."""
    return like_input(np.fft.ifftn(ct, None, axes, norm) if s is None else
                      fitted(np.fft.ifftn(ct, None, fft_axes(a, s, axes), norm), a, fft_axes(a, s, axes)), a)


@tangent(np.fft.ifftn)
def ifftn_tangent(t, ans, a, s=None, axes=None, norm=None):
    return np.fft.ifftn(t, s, axes, norm)


@adjoint(np.fft.fft2)
def fft2_adjoint(ct, ans, a, s=None, axes=(-2, -1), norm=None):
    """As fft, over the last two axes (or `axes`)."""
    return like_input(np.fft.fft2(ct, None, axes, norm) if s is None else fitted(np.fft.fft2(ct, None, axes, norm), a,
                                                                                  axes), a)


@tangent(np.fft.fft2)
def fft2_tangent(t, ans, a, s=None, axes=(-2, -1), norm=None):
    return np.fft.fft2(t, s, axes, norm)


@adjoint(np.fft.ifft2)
def ifft2_adjoint(ct, ans, a, s=None, axes=(-2, -1), norm=None):
    """As ifft, over the last two axes (or `axes`)."""
    return like_input(np.fft.ifft2(ct, None, axes, norm) if s is None else fitted(np.fft.ifft2(ct, None, axes, norm), a,
                                                                                   axes), a)


@tangent(np.fft.ifft2)
def ifft2_tangent(t, ans, a, s=None, axes=(-2, -1), norm=None):
    return np.fft.ifft2(t, s, axes, norm)


@adjoint(np.fft.rfft)
def rfft_adjoint(ct, ans, a, n=None, axis=-1, norm=None):
    """a is real: the real part of fft of the cotangent padded to the transform's length."""
    return np.real(np.fft.fft(ct, np.shape(a)[axis], axis, norm)) if n is None else \
        fitted(np.real(np.fft.fft(ct, n, axis, norm)), a, (axis,))


@tangent(np.fft.rfft)
def rfft_tangent(t, ans, a, n=None, axis=-1, norm=None):
    return np.fft.rfft(t, n, axis, norm)


@adjoint(np.fft.irfft)
def irfft_adjoint(ct, ans, a, n=None, axis=-1, norm=None):
    """Each half-spectrum entry stands for itself and its conjugate twin (but the mean and Nyquist)."""
    return like_input(fitted(rfft_weights(ans, axis) * np.conj(np.fft.rfft(ct, None, axis, dual_norm(norm))), a,
                             (axis,)), a)


@tangent(np.fft.irfft)
def irfft_tangent(t, ans, a, n=None, axis=-1, norm=None):
    return np.fft.irfft(t, n, axis, norm)


@adjoint(np.fft.fftshift)
def fftshift_adjoint(ct, ans, x, axes=None):
    """A permutation: its transpose is ifftshift."""
    return np.fft.ifftshift(ct, axes)


@tangent(np.fft.fftshift)
def fftshift_tangent(t, ans, x, axes=None):
    return np.fft.fftshift(t, axes)


@adjoint(np.fft.ifftshift)
def ifftshift_adjoint(ct, ans, x, axes=None):
    """A permutation: its transpose is fftshift."""
    return np.fft.fftshift(ct, axes)


@tangent(np.fft.ifftshift)
def ifftshift_tangent(t, ans, x, axes=None):
    return np.fft.ifftshift(t, axes)


# cutting and zero-padding are each other's transposes; `like` is read for its shape only
@adjoint(runtime.fitted, differentiable=("g", "like"))
def fitted_adjoint(ct, ans, g, like, axes):
    return fitted(ct, g, axes), None


@tangent(runtime.fitted, differentiable=("g", "like"))
def fitted_tangent(t, ans, g, like, axes):
    return fitted(t, like, axes), None


nondifferentiable(runtime.fft_axes, runtime.dual_norm, runtime.rfft_weights)

_TRANSFORMS = (np.fft.fft, np.fft.ifft, np.fft.fftn, np.fft.ifftn, np.fft.fft2, np.fft.ifft2)
mark_supported(*_TRANSFORMS, np.fft.irfft, np.fft.fftshift, np.fft.ifftshift, runtime.fitted, runtime.fft_axes,
               runtime.dual_norm, runtime.rfft_weights)
mark_complex_result(*_TRANSFORMS, np.fft.rfft)
mark_real_result(np.fft.irfft)
real_for_real(fft_adjoint, ifft_adjoint, fftn_adjoint, ifftn_adjoint, fft2_adjoint, ifft2_adjoint, rfft_adjoint,
              irfft_adjoint)
