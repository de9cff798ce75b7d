"""Numba flags, dtypes and sentinels, defined once for the whole package."""

from __future__ import annotations

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


def parallel(fn: F) -> F:
    """Compile a ``prange`` kernel with the package's flags."""
    return cast(F, numba.njit(**JIT_PARALLEL)(fn))
