"""One thread for every backend, and a report of which BLAS kernel runs.

`pin_threads` sets the thread-count variables that OpenBLAS, MKL, BLIS, OpenMP, Accelerate and
XLA read when they load; it must run before NumPy, torch or jax is imported. `limit_loaded_threads`
then limits what is already loaded (threadpoolctl, torch) as a second line. OPENBLAS_CORETYPE is
never changed: it is only reported. This module imports nothing but the standard library at load.
"""

from __future__ import annotations

import os
import sys

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
XLA_ONE_THREAD = ("--xla_cpu_multi_thread_eigen=false", "intra_op_parallelism_threads=1")
_LIMITS = []  # keeps threadpoolctl's limiter alive for the whole run


def pin_threads(environ=None) -> list[str]:
    """Set every thread-count variable to 1 and add XLA's one-thread flags; return what was late.

    The list returned names the libraries already imported (their pools may have started with
    more threads; `limit_loaded_threads` covers those that threadpoolctl or torch can reach).
    """
    env = os.environ if environ is None else environ
    for name in THREAD_VARIABLES:
        env[name] = "1"
    flags = env.get("XLA_FLAGS", "").split()
    env["XLA_FLAGS"] = " ".join(flags + [f for f in XLA_ONE_THREAD if f not in flags])
    return [m for m in ("numpy", "torch", "jax") if m in sys.modules]


def limit_loaded_threads() -> None:
    """Limit the thread pools already loaded to one thread (threadpoolctl, torch), when present."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        pass
    else:
        _LIMITS.append(threadpool_limits(limits=1))
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.set_num_threads(1)


def blas_report() -> list[dict]:
    """The thread pools loaded in this process (BLAS and OpenMP): library, version, kernel
    (threadpoolctl's "architecture"), thread count. Without threadpoolctl: NumPy's build config."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import numpy as np

        try:  # NumPy >= 1.25
            blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        except TypeError:
            blas = {}
        return [{"library": blas.get("name", "?"), "version": blas.get("version", "?"),
                 "kernel": "unknown (pip install threadpoolctl to see it)", "threads": None, "file": ""}]
    return [{"library": p.get("internal_api"), "version": p.get("version"), "kernel": p.get("architecture", "-"),
             "threads": p.get("num_threads"), "file": os.path.basename(p.get("filepath", ""))}
            for p in threadpool_info()]


def coretype() -> str | None:
    """OPENBLAS_CORETYPE as set outside (it picks OpenBLAS's kernel; reported, never changed)."""
    return os.environ.get("OPENBLAS_CORETYPE")
