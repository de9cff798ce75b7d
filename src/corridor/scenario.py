"""Scenarios: what-if changes to the network and the cost model, as values."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from corridor._errors import DataError
from corridor.costs import CostModel

__all__ = ["Scenario"]


def _pairs(
    name: str, value: Mapping[str, float] | Iterable[tuple[str, float]] | None
) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    items = list(value.items()) if isinstance(value, Mapping) else list(value)
    out = []
    for key, x in items:
        if not isinstance(key, str):
            raise DataError(f"Scenario.{name}: keys must be hub or line names, got {key!r}")
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or x < 0:
            raise DataError(f"Scenario.{name}[{key!r}] must be a finite number >= 0, got {x!r}")
        out.append((key, float(x)))
    return tuple(sorted(out))


@dataclass(frozen=True, slots=True)
class Scenario:
    """A what-if: closed hubs, lines or sea passages, opened lines, other costs.

    Parameters
    ----------
    name : str
        Shown in comparisons.
    close : iterable of str
        Hubs (id, name or alias, e.g. ``"Suez Canal"``), line names (``"China–Laos
        Railway"``) or link ids to take out of the network.
    open_planned : bool
        Open links that are under construction or planned (e.g. Huangtong–Baise).
    costs : CostModel, optional
        The cost model to use instead of the caller's.
    border_hours : mapping of hub -> hours, optional
        Crossing hours to use at these hubs instead of the data's (e.g. Mohan at its
        opening, over 40 h).

    Examples
    --------
    >>> s = Scenario("Suez closed", close=["Suez Canal"])
    >>> s.close
    ('Suez Canal',)
    """

    name: str
    close: tuple[str, ...] = field(default=())
    open_planned: bool = False
    costs: CostModel | None = None
    border_hours: tuple[tuple[str, float], ...] = field(default=())

    def __init__(
        self,
        name: str,
        *,
        close: Iterable[str] = (),
        open_planned: bool = False,
        costs: CostModel | None = None,
        border_hours: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"Scenario name must be a non-empty string, got {name!r}")
        if isinstance(close, str):
            close = (close,)
        closed = tuple(close)
        for c in closed:
            if not isinstance(c, str) or not c.strip():
                raise DataError(f"Scenario {name!r}: close must list hub or line names, got {c!r}")
        if costs is not None and not isinstance(costs, CostModel):
            raise DataError(
                f"Scenario {name!r}: costs must be a CostModel, got {type(costs).__name__}"
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "close", closed)
        object.__setattr__(self, "open_planned", bool(open_planned))
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "border_hours", _pairs("border_hours", border_hours))
