"""``python -m benchmarks``: pin BLAS, OpenMP and XLA to one thread, then run the command line.

The pinning must come before NumPy (or torch, or jax) is first imported, so this module imports
``benchmarks.threads`` first and everything else after it.
"""

from benchmarks.threads import pin_threads

pin_threads()

import sys  # noqa: E402

from benchmarks.cli import main  # noqa: E402

sys.exit(main())
