"""Checks of arguments at the public entry points: types are checked, not coerced by
truthiness, bounds are physical, and every error names the parameter.

Each check raises :class:`~corridor._errors.DataError` (a ``ValueError``) naming the
parameter and echoing the value shortened (:func:`shown`), so that a megabyte of input
never becomes a megabyte of message.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from corridor._errors import DataError

__all__ = [
    "check_bool",
    "check_int",
    "check_names",
    "check_network",
    "check_number",
    "check_seed",
    "shown",
]

#: longest echo of a user value in an error message
SHOWN_CHARS = 80


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)``, cut to ``limit`` characters with the length said.

    Examples
    --------
    >>> shown("abc")
    "'abc'"
    >>> shown("x" * 1000)[-20:]
    '… (1,000 characters)'
    """
    if isinstance(value, str):
        head = repr(value[:limit])
        if len(value) <= limit and len(head) <= limit:
            return head
        return head[: limit - 1] + f"… ({len(value):,} characters)"
    text = (
        repr(value)
        if not isinstance(value, list | tuple | dict | set) or len(value) < 1000
        else (f"<{type(value).__name__} of {len(value):,} items>")
    )
    if len(text) <= limit:
        return text
    return text[: limit - 1] + f"… ({len(text):,} characters)"


def check_bool(name: str, value: object) -> bool:
    """``value`` if it is True or False (a string "false" is not False)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise DataError(f"{name} must be True or False, got {shown(value)}")


def check_int(name: str, value: object, *, ge: int | None = None, le: int | None = None) -> int:
    """``value`` as an int if it is a whole number (not a bool, float or string) in bounds."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise DataError(f"{name} must be a whole number, got {shown(value)}")
    out = int(value)
    if ge is not None and out < ge:
        raise DataError(f"{name} must be >= {ge}, got {out}")
    if le is not None and out > le:
        raise DataError(f"{name} must be at most {le:,}, got {out:,}")
    return out


def check_number(
    name: str,
    value: object,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
) -> float:
    """``value`` as a float if it is a finite real number (not a bool or string) in bounds."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise DataError(f"{name} must be a number, got {shown(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise DataError(f"{name} must be finite, got {out!r}")
    if gt is not None and not out > gt:
        raise DataError(f"{name} must be > {gt:g}, got {out:g}")
    if ge is not None and not out >= ge:
        raise DataError(f"{name} must be >= {ge:g}, got {out:g}")
    if le is not None and not out <= le:
        raise DataError(f"{name} must be at most {le:g}, got {out:g}")
    return out


def check_seed(name: str, value: object) -> int | None:
    """None, or a whole number from 0 to 2**32 - 1 (what NumPy's generators take)."""
    if value is None:
        return None
    return check_int(name, value, ge=0, le=2**32 - 1)


def check_names(name: str, value: object, *, allow_none: bool = True) -> tuple[str, ...]:
    """Names given as one string, or an iterable of strings (None: none).

    A single string is one name, not its letters.
    """
    if value is None and allow_none:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise DataError(f"{name} must be a name or a list of names, got {shown(value)}")
    out = tuple(value)
    for i, v in enumerate(out):
        if not isinstance(v, str):
            raise DataError(f"{name}[{i}] must be a name (a string), got {shown(v)}")
    return out


def check_network(value: Any, name: str = "net") -> Any:
    """``value`` if it is a :class:`corridor.Network`."""
    from corridor.network import Network

    if not isinstance(value, Network):
        raise DataError(
            f"{name} must be a corridor.Network (from corridor.load_network()), "
            f"got {type(value).__name__} {shown(value)}"
        )
    return value
