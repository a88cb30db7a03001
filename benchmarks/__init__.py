"""sourcead's benchmark harness: ``python -m benchmarks`` (see benchmarks/README.md).

Importing this package imports nothing else, so that ``python -m benchmarks`` can pin every BLAS
and XLA to one thread (``benchmarks.threads``) before NumPy is loaded.
"""
