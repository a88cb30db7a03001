"""Threads, object lifetimes and cache invalidation.

* 16 threads calling one derivative that is not compiled yet all get the right gradient, and (once
  the cache takes a lock) the derivative is compiled once: compilations are counted by wrapping
  `sourcead.pipeline.derive` and `sourcead.pipeline.lower`, with a pause inside so that the race,
  if there is one, always happens.
* The cache keeps no dead function alive: once the user drops a function and its derivative, both
  are collected.
* Redefining a function, or registering a rule again, gives a new derivative (never a stale one).
"""

import gc
import threading
import time
import weakref

import numpy as np
import pytest

import sourcead
import sourcead.pipeline

THREADS = 16


def _counting(monkeypatch, name):
    """Wrap sourcead.pipeline.<name> so that it counts its calls and pauses 50 ms in each."""
    real = getattr(sourcead.pipeline, name)
    calls = []
    lock = threading.Lock()

    def counted(*args, **kwargs):
        with lock:
            calls.append(threading.get_ident())
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(sourcead.pipeline, name, counted)
    return calls


def _run_together(fn, *args):
    """fn(*args) in THREADS threads released at once; their results (or exceptions), in order."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def work(k):
        barrier.wait()
        try:
            results[k] = fn(*args)
        except BaseException as err:  # reported by the test, not lost in the thread
            results[k] = err

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    return results


def make_threaded_function():
    """A new function object each time (a fresh cache entry), with a loop so the tape is used."""
    def threaded(x, y):
        acc = x
        for i in range(4):
            acc = np.sin(acc) * y + x * 0.5
        return acc * acc
    return threaded


def _expected(f, x, y, h=1e-6):
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def test_sixteen_threads_get_the_right_gradient(monkeypatch):
    _counting(monkeypatch, "derive")
    f = make_threaded_function()
    df = sourcead.grad(f)
    results = _run_together(df, 0.7, 1.3)
    for r in results:
        assert not isinstance(r, BaseException), repr(r)
        assert r == pytest.approx(_expected(f, 0.7, 1.3), rel=1e-7)
    assert len({r for r in results}) == 1, "the threads got different numbers"


def test_sixteen_threads_with_different_argument_kinds():
    """Threads racing on specialisations for a float and an array argument both get theirs."""
    f = make_threaded_function()
    df = sourcead.grad(f)
    x = np.array([0.2, -0.4])
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def work(k):
        barrier.wait()
        try:
            results[k] = df(0.7, 1.3) if k % 2 else df(x, 1.3)
        except BaseException as err:
            results[k] = err

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for k, r in enumerate(results):
        assert not isinstance(r, BaseException), repr(r)
        if k % 2:
            assert type(r) is float and r == pytest.approx(_expected(f, 0.7, 1.3), rel=1e-7)
        else:
            assert isinstance(r, np.ndarray) and r.shape == (2,)
            for i in range(2):
                e = np.zeros(2)
                e[i] = 1e-6
                fd = (np.sum(f(x + e, 1.3)) - np.sum(f(x - e, 1.3))) / 2e-6
                assert r[i] == pytest.approx(fd, rel=1e-6)


def test_sixteen_threads_compile_once(monkeypatch):
    derives = _counting(monkeypatch, "derive")
    lowers = _counting(monkeypatch, "lower")
    f = make_threaded_function()
    results = _run_together(sourcead.grad(f), 0.7, 1.3)
    assert not any(isinstance(r, BaseException) for r in results)
    assert len(lowers) == 1, f"lowered {len(lowers)} times"
    assert len(derives) == 1, f"compiled {len(derives)} times"


def test_one_thread_compiles_once(monkeypatch):
    """The counter itself works: one caller, one compilation, then cache hits."""
    derives = _counting(monkeypatch, "derive")
    df = sourcead.grad(make_threaded_function())
    for _ in range(3):
        df(0.7, 1.3)
    assert len(derives) == 1


# ---- lifetimes ------------------------------------------------------------------------------------


def _collected(ref) -> bool:
    for _ in range(3):
        gc.collect()
    return ref() is None


def make_disposable():
    def disposable(x):
        y = x
        for i in range(3):
            y = np.sin(y) * x
        return y
    return disposable



@pytest.mark.parametrize("use", [
    lambda f: sourcead.grad(f)(0.5),
    lambda f: sourcead.grad(f)(np.array([0.5, 0.2])),
    lambda f: sourcead.value_and_grad(f)(0.5),
    lambda f: sourcead.vjp(f, 0.5)[1](1.0),
    lambda f: sourcead.jvp(f, (0.5,), (1.0,)),
    lambda f: sourcead.grad(sourcead.grad(f))(0.5),
    lambda f: sourcead.hessian(f)(0.5),
    lambda f: sourcead.source(sourcead.grad(f), 0.5),
    lambda f: sourcead.ssa(f),
], ids=["grad", "grad-array", "value_and_grad", "vjp", "jvp", "grad-of-grad", "hessian", "source", "ssa"])
def test_the_cache_keeps_no_dead_function_alive(use):
    f = make_disposable()
    use(f)
    ref = weakref.ref(f)
    del f
    assert _collected(ref), "the function is still alive after the user dropped it: " + \
        ", ".join(type(r).__name__ for r in gc.get_referrers(ref()) if r is not None)


def test_a_derivative_dropped_lets_its_function_go():
    f = make_disposable()
    df = sourcead.grad(f)
    df(0.5)
    ref_f, ref_df = weakref.ref(f), weakref.ref(df)
    del f, df
    assert _collected(ref_df) and _collected(ref_f)


# ---- invalidation --------------------------------------------------------------------------------


def redefined(x):
    return x * x


first_version = redefined


def redefined(x):  # noqa: F811  (redefined on purpose)
    return x * x * x


def test_redefining_a_function_gives_a_new_derivative():
    assert sourcead.grad(first_version)(2.0) == 4.0
    assert sourcead.grad(redefined)(2.0) == 12.0
    assert sourcead.grad(first_version)(2.0) == 4.0


def make_version(power):
    def versioned(x):
        return x ** power
    return versioned


def test_functions_from_one_def_with_different_closures_get_their_own_derivatives():
    assert sourcead.grad(make_version(2))(3.0) == 6.0
    assert sourcead.grad(make_version(3))(3.0) == 27.0


def smooth(x):
    return x * x


def calls_smooth(x):
    return smooth(x) + x


def test_registering_a_rule_again_gives_a_new_derivative():
    df = sourcead.grad(calls_smooth)
    assert df(3.0) == 7.0  # differentiated through smooth's source
    compiled_before = sourcead.source(df, 3.0)

    @sourcead.adjoint(smooth)
    def smooth_rule(ct, ans, x):
        return ct * 10.0

    assert df(3.0) == 11.0  # the new rule, though df was compiled before it existed
    assert sourcead.source(df, 3.0) != compiled_before

    @sourcead.adjoint(smooth)
    def smooth_rule_again(ct, ans, x):
        return ct * 2.0 * x

    assert df(3.0) == 7.0
    assert sourcead.grad(calls_smooth)(3.0) == 7.0


scale = 2.0


def reads_a_global(x):
    return scale * x


def test_rebinding_a_global_the_function_reads_is_seen():
    global scale
    df = sourcead.grad(reads_a_global)
    assert df(1.0) == 2.0
    scale = 5.0
    try:
        assert df(1.0) == 5.0
        scale = np.array([1.0, 3.0])  # another kind: another specialisation
        assert df(1.0) == 4.0
    finally:
        scale = 2.0


def square_for_wraps(x):
    return x * x


def test_a_wrapper_that_copies_the_cache_entry_does_not_use_it():
    """functools.wraps copies a function's __dict__, where the cache keeps its entries: the copy
    names another owner, so the wrapper gets a derivative of its own."""
    import functools

    assert sourcead.grad(square_for_wraps)(3.0) == 6.0

    @functools.wraps(square_for_wraps)
    def doubled(x):
        return 2.0 * square_for_wraps(x)

    assert "__sourcead_derived__" in doubled.__dict__  # the copied entry is there...
    assert sourcead.grad(doubled)(3.0) == 12.0  # ...and not used
