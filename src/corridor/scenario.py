"""Scenarios: what-if changes to the network and the cost model, as values.

A scenario closes hubs, lines or sea passages, opens lines under construction, and changes
tariffs, border times or the carbon price. It is frozen and hashable, so compiled graphs are
cached per scenario. Scenarios can be written as JSON (:meth:`Scenario.from_dict`,
:func:`load_scenarios`); the bundled presets live in ``data/scenarios.json``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.costs import CostModel

__all__ = ["Scenario", "load_scenarios", "presets"]


def _pairs(
    where: str,
    value: Mapping[str, float] | Iterable[tuple[str, float]] | None,
    *,
    positive: bool = False,
) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    try:
        items = list(value.items()) if isinstance(value, Mapping) else [tuple(p) for p in value]
    except TypeError:
        raise DataError(f"{where} must be a mapping of names to numbers, got {value!r}") from None
    out = []
    for item in items:
        if len(item) != 2:
            raise DataError(f"{where} must be a mapping of names to numbers, got {value!r}")
        key, x = item
        if not isinstance(key, str) or not key.strip():
            raise DataError(f"{where}: keys must be hub, line or mode names, got {key!r}")
        if (
            isinstance(x, bool)
            or not isinstance(x, int | float)
            or not math.isfinite(x)
            or x < 0
            or (positive and x == 0)
        ):
            raise DataError(
                f"{where}[{key!r}] must be a finite number {'>' if positive else '>='} 0, got {x!r}"
            )
        out.append((key, float(x)))
    return tuple(sorted(out))


def _names(where: str, value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    try:
        out = tuple(value)
    except TypeError:
        raise DataError(f"{where} must be a list of names, got {value!r}") from None
    for v in out:
        if not isinstance(v, str) or not v.strip():
            raise DataError(f"{where} must list hub or line names, got {v!r}")
    return out


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
    open : iterable of str
        Lines or link ids under construction or planned to open (``"Huangtong–Baise
        railway"``).
    open_planned : bool
        Open every line under construction or planned.
    costs : CostModel, optional
        The cost model to use instead of the caller's.
    border_hours : mapping of hub -> hours, optional
        Crossing hours at these hubs instead of the data's (e.g. Mohan at its opening, 40 h).
    tariffs : mapping of mode or line -> USD per TEU-km, optional
        Line-haul tariffs instead of the cost model's (by mode) or the data's (by line).
    hours_factor : mapping of line or link -> factor, optional
        Running times of these lines or links multiplied by the factor (> 0), e.g. a river
        reach in low water or a line under works.
    carbon_price_usd_per_t : float, optional
        Carbon price instead of the cost model's.
    inland_clearance : bool
        Whether a box declared at an inland port (the Guiyang Land-Port's single
        declaration, inspection and release) skips export clearance at the seaports that
        port clears for (True, the default); False charges it at the seaport as for any box.
    description : str
        What the scenario stands for, with its source.

    Examples
    --------
    >>> s = Scenario("Suez closed", close=["Suez Canal"])
    >>> s.close
    ('Suez Canal',)
    >>> Scenario.from_dict({"name": "HB open", "open": ["Huangtong–Baise railway"]}).open
    ('Huangtong–Baise railway',)
    """

    name: str
    close: tuple[str, ...] = field(default=())
    open: tuple[str, ...] = field(default=())
    open_planned: bool = False
    costs: CostModel | None = None
    border_hours: tuple[tuple[str, float], ...] = field(default=())
    tariffs: tuple[tuple[str, float], ...] = field(default=())
    hours_factor: tuple[tuple[str, float], ...] = field(default=())
    carbon_price_usd_per_t: float | None = None
    inland_clearance: bool = True
    description: str = field(default="", compare=False)

    def __init__(
        self,
        name: str,
        *,
        close: Iterable[str] = (),
        open: Iterable[str] = (),
        open_planned: bool = False,
        costs: CostModel | None = None,
        border_hours: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
        tariffs: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
        hours_factor: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
        carbon_price_usd_per_t: float | None = None,
        inland_clearance: bool = True,
        description: str = "",
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"Scenario name must be a non-empty string, got {name!r}")
        if not isinstance(inland_clearance, bool):
            raise DataError(
                f"Scenario {name!r}: inland_clearance must be true or false, "
                f"got {inland_clearance!r}"
            )
        if costs is not None and not isinstance(costs, CostModel):
            raise DataError(
                f"Scenario {name!r}: costs must be a CostModel, got {type(costs).__name__}"
            )
        cp = carbon_price_usd_per_t
        if cp is not None and (
            isinstance(cp, bool)
            or not isinstance(cp, int | float)
            or not math.isfinite(cp)
            or cp < 0
        ):
            raise DataError(
                f"Scenario {name!r}: carbon_price_usd_per_t must be a finite number >= 0, "
                f"got {cp!r}"
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "close", _names(f"Scenario {name!r}: close", close))
        object.__setattr__(self, "open", _names(f"Scenario {name!r}: open", open))
        object.__setattr__(self, "open_planned", bool(open_planned))
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "border_hours", _pairs("Scenario.border_hours", border_hours))
        object.__setattr__(self, "tariffs", _pairs("Scenario.tariffs", tariffs, positive=True))
        object.__setattr__(
            self, "hours_factor", _pairs("Scenario.hours_factor", hours_factor, positive=True)
        )
        object.__setattr__(self, "carbon_price_usd_per_t", None if cp is None else float(cp))
        object.__setattr__(self, "inland_clearance", inland_clearance)
        object.__setattr__(self, "description", str(description))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scenario:
        """Build a scenario from a JSON-like mapping (``costs`` as CostModel keyword arguments)."""
        if not isinstance(d, Mapping):
            raise DataError(f"a scenario must be an object, got {d!r}")
        known = {
            "name",
            "close",
            "open",
            "open_planned",
            "costs",
            "border_hours",
            "tariffs",
            "hours_factor",
            "carbon_price_usd_per_t",
            "inland_clearance",
            "description",
        }
        unknown = sorted(set(d) - known)
        label = d.get("name", "?")
        if unknown:
            raise DataError(
                f"Scenario {label!r}: unknown field(s) {', '.join(unknown)}; "
                f"expected {', '.join(sorted(known))}"
            )
        kw = dict(d)
        if "name" not in kw:
            raise DataError(f"a scenario needs a 'name': {dict(d)!r}")
        costs = kw.pop("costs", None)
        if costs is not None:
            if not isinstance(costs, Mapping):
                raise DataError(f"Scenario {label!r}: costs must be an object of CostModel fields")
            try:
                kw["costs"] = CostModel(**costs)
            except TypeError as exc:
                raise DataError(f"Scenario {label!r}: costs: {exc}") from None
        return cls(kw.pop("name"), **kw)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping that :meth:`from_dict` reads back."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.close:
            out["close"] = list(self.close)
        if self.open:
            out["open"] = list(self.open)
        if self.open_planned:
            out["open_planned"] = True
        if self.border_hours:
            out["border_hours"] = dict(self.border_hours)
        if self.tariffs:
            out["tariffs"] = dict(self.tariffs)
        if self.hours_factor:
            out["hours_factor"] = dict(self.hours_factor)
        if self.carbon_price_usd_per_t is not None:
            out["carbon_price_usd_per_t"] = self.carbon_price_usd_per_t
        if not self.inland_clearance:
            out["inland_clearance"] = False
        if self.costs is not None:
            from dataclasses import asdict

            out["costs"] = {k: v for k, v in asdict(self.costs).items() if not isinstance(v, dict)}
        return out


def load_scenarios(path: str | os.PathLike[str]) -> list[Scenario]:
    """Read scenarios from a JSON file: a list of scenario objects, or ``{"scenarios": [...]}``.

    Raises
    ------
    DataError
        Naming the file and the scenario at fault.
    """
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not a JSON scenario file: {exc}") from None
    items = doc.get("scenarios") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise DataError(f"{p}: expected a list of scenarios or {{'scenarios': [...]}}")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(Scenario.from_dict(item))
        except DataError as exc:
            raise DataError(f"{p}: scenario #{i}: {exc}") from None
    names = [s.name for s in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"{p}: duplicate scenario names: {', '.join(dup)}")
    return out


@cache
def presets() -> dict[str, Scenario]:
    """The bundled what-if presets by key (``data/scenarios.json``).

    Examples
    --------
    >>> sorted(presets())[:3]
    ['carbon_price_100', 'huangtong_baise_open', 'malacca_closed']
    """
    from corridor.io import bundled_data_path

    doc = json.loads(bundled_data_path("scenarios.json").read_text(encoding="utf-8"))
    return {
        item["key"]: Scenario.from_dict({k: v for k, v in item.items() if k != "key"})
        for item in doc["scenarios"]
    }
