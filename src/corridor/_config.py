"""Numba flags, dtypes and sentinels, defined once for the whole package."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import numba
import numpy as np

#: cost and distance dtype
FLOAT: Final = np.float64
#: CSR index dtype (``indices``, ``indptr``)
INDEX: Final = np.int32
#: predecessor (edge id) dtype in kernels
PRED: Final = np.int64
#: no predecessor, inside corridor
NO_PRED: Final = -1
#: no predecessor, in scipy-compatible outputs
SCIPY_NO_PRED: Final = -9999
#: heap arity of the Dijkstra kernels (Numba caches kernels by _kernels.py: after changing
#: this, delete src/corridor/__pycache__ so they recompile)
ARITY: Final = 4

#: options for serial kernels. No fastmath: distances use ``inf`` for "unreached".
JIT_SERIAL: Final[dict[str, Any]] = {"cache": True, "nogil": True}
#: options for kernels that run sources in parallel with ``prange``
JIT_PARALLEL: Final[dict[str, Any]] = {"cache": True, "nogil": True, "parallel": True}

F = TypeVar("F", bound=Callable[..., Any])


def serial(fn: F) -> F:
    """Compile a serial kernel with the package's flags."""
    return cast(F, numba.njit(**JIT_SERIAL)(fn))


#: threading layers that can run parallel kernels from several threads at once
#: (Numba's ``workqueue`` aborts the process on concurrent launches)
THREAD_SAFE_LAYERS: Final = frozenset({"tbb", "omp"})

#: held while a parallel kernel runs, as long as the layer is not known to be thread-safe
_parallel_lock = threading.Lock()
_layer_thread_safe: bool | None = None  # None: not known yet (no parallel kernel has run)


def _fresh_lock_after_fork() -> None:
    """A child forked while another thread ran a kernel must not inherit the lock held."""
    global _parallel_lock
    _parallel_lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)


def _learn_layer() -> None:
    """Record whether the threading layer Numba chose is thread-safe, once it is known."""
    global _layer_thread_safe
    if numba.config.DISABLE_JIT:  # type: ignore[attr-defined]  # plain Python: no lock
        _layer_thread_safe = True
        return
    try:
        layer = numba.threading_layer()  # type: ignore[attr-defined]
    except ValueError:  # no parallel kernel has been launched yet
        return
    _layer_thread_safe = layer in THREAD_SAFE_LAYERS


def parallel_is_serialised() -> bool:
    """Whether calls into the parallel kernels wait for each other (see :func:`parallel`)."""
    if _layer_thread_safe is None:
        _learn_layer()
    return _layer_thread_safe is not True


def parallel(fn: F) -> F:
    """Compile a ``prange`` kernel with the package's flags, callable from any thread.

    Numba's ``workqueue`` threading layer (what a machine without TBB or OpenMP gets, or
    ``NUMBA_THREADING_LAYER=workqueue``) aborts the whole process when two threads launch
    parallel kernels at once (SIGABRT), as does a Dask worker running several tasks. So
    calls take one lock until the first launch has shown which layer Numba chose, and for
    good if it is not thread-safe; with TBB or OpenMP they run concurrently, unlocked. The
    wrapper is what Python code calls (a parallel kernel is never called from another
    kernel); the Numba dispatcher is its ``kernel`` attribute.
    """
    kernel = numba.njit(**JIT_PARALLEL)(fn)

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _layer_thread_safe is True:
            return kernel(*args, **kwargs)
        with _parallel_lock:
            try:
                return kernel(*args, **kwargs)
            finally:
                if _layer_thread_safe is None:
                    _learn_layer()

    call.kernel = kernel  # type: ignore[attr-defined]
    return cast(F, call)
