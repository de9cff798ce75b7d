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
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from corridor._checks import check_bool, shown
from corridor._errors import DataError
from corridor._schema import MAX_HOURS
from corridor.costs import CostModel

__all__ = ["Scenario", "load_scenarios", "presets"]


#: largest value of each mapping field: hours a year, a tariff per TEU-km (the bundled ones
#: are under 4), a factor on running times
_BOUNDS = {
    "border_hours": MAX_HOURS,
    "tariffs": 100.0,
    "hours_factor": 1000.0,
    # g CO2e per kWh: the dirtiest grids are under 1,100 (coal alone ~1,000)
    "grid_g_per_kwh": 2000.0,
}
#: energies a scenario may give a rail line
TRACTIONS = ("electric", "diesel")
#: largest scenario file read (bytes), and most scenarios in one
MAX_FILE_BYTES = 10_000_000
MAX_SCENARIOS = 100_000
#: largest carbon price (USD per tonne CO2e; carbon markets trade under 200)
MAX_CARBON_PRICE = 100_000.0


def _pairs(
    where: str,
    value: object,
    *,
    positive: bool = False,
    most: float = math.inf,
) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes):
        raise DataError(f"{where} must be a mapping of names to numbers, got {shown(value)}")
    try:
        items = (
            list(value.items()) if isinstance(value, Mapping) else [tuple(p) for p in value]  # type: ignore[attr-defined]
        )
    except TypeError:
        raise DataError(
            f"{where} must be a mapping of names to numbers, got {shown(value)}"
        ) from None
    out = []
    for item in items:
        if len(item) != 2:
            raise DataError(f"{where} must be a mapping of names to numbers, got {shown(value)}")
        key, x = item
        if not isinstance(key, str) or not key.strip():
            raise DataError(f"{where}: keys must be hub, line or mode names, got {shown(key)}")
        if (
            isinstance(x, bool)
            or not isinstance(x, int | float)
            or not math.isfinite(x)
            or x < 0
            or (positive and x == 0)
        ):
            raise DataError(
                f"{where}[{shown(key)}] must be a finite number {'>' if positive else '>='} 0, "
                f"got {shown(x)}"
            )
        if x > most:
            raise DataError(f"{where}[{shown(key)}] must be at most {most:g}, got {x:g}")
        out.append((key, float(x)))
    return tuple(sorted(out))


def _tractions(where: str, value: object) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise DataError(
            f"{where} must be a mapping of line names to 'electric' or 'diesel', got {shown(value)}"
        )
    out = []
    for key, x in value.items():
        if not isinstance(key, str) or not key.strip():
            raise DataError(f"{where}: keys must be line names or link ids, got {shown(key)}")
        if x not in TRACTIONS:
            raise DataError(f"{where}[{shown(key)}] must be 'electric' or 'diesel', got {shown(x)}")
        out.append((key, str(x)))
    return tuple(sorted(out))


def _names(where: str, value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, bytes | Mapping):
        raise DataError(f"{where} must be a list of names, got {shown(value)}")
    try:
        out = tuple(value)
    except TypeError:
        raise DataError(f"{where} must be a list of names, got {shown(value)}") from None
    for v in out:
        if not isinstance(v, str) or not v.strip():
            raise DataError(f"{where} must list hub or line names, got {shown(v)}")
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
    traction : mapping of line or link -> "electric" or "diesel", optional
        Rail lines hauled by that energy instead of the data's share (e.g. an electrified
        Kazakh section).
    grid_g_per_kwh : mapping of country code, line or link -> g CO2e per kWh, optional
        The electricity of a country (ISO 3166 alpha-3, e.g. ``"LAO"``) or of one line
        (e.g. ``{"China–Laos Railway": 24}``, hydropower) instead of the grid factor.
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
    traction: tuple[tuple[str, str], ...] = field(default=())
    grid_g_per_kwh: tuple[tuple[str, float], ...] = field(default=())

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
        traction: Mapping[str, str] | None = None,
        grid_g_per_kwh: Mapping[str, float] | Iterable[tuple[str, float]] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"Scenario name must be a non-empty string, got {shown(name)}")
        label = f"Scenario {shown(name)}"
        inland_clearance = check_bool(f"{label}: inland_clearance", inland_clearance)
        open_planned = check_bool(f"{label}: open_planned", open_planned)
        if costs is not None and not isinstance(costs, CostModel):
            raise DataError(
                f"{label}: costs must be a CostModel, got {type(costs).__name__} {shown(costs)}"
            )
        if not isinstance(description, str):
            raise DataError(f"{label}: description must be text, got {shown(description)}")
        cp = carbon_price_usd_per_t
        if cp is not None and (
            isinstance(cp, bool)
            or not isinstance(cp, int | float)
            or not math.isfinite(cp)
            or cp < 0
            or cp > MAX_CARBON_PRICE
        ):
            raise DataError(
                f"{label}: carbon_price_usd_per_t must be a finite number from 0 to "
                f"{MAX_CARBON_PRICE:g}, got {shown(cp)}"
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "close", _names(f"{label}: close", close))
        object.__setattr__(self, "open", _names(f"{label}: open", open))
        object.__setattr__(self, "open_planned", open_planned)
        object.__setattr__(self, "costs", costs)
        object.__setattr__(
            self,
            "border_hours",
            _pairs(f"{label}: border_hours", border_hours, most=_BOUNDS["border_hours"]),
        )
        object.__setattr__(
            self,
            "tariffs",
            _pairs(f"{label}: tariffs", tariffs, positive=True, most=_BOUNDS["tariffs"]),
        )
        object.__setattr__(
            self,
            "hours_factor",
            _pairs(
                f"{label}: hours_factor", hours_factor, positive=True, most=_BOUNDS["hours_factor"]
            ),
        )
        object.__setattr__(self, "carbon_price_usd_per_t", None if cp is None else float(cp))
        object.__setattr__(self, "inland_clearance", inland_clearance)
        object.__setattr__(self, "description", str(description))
        object.__setattr__(self, "traction", _tractions(f"{label}: traction", traction))
        object.__setattr__(
            self,
            "grid_g_per_kwh",
            _pairs(f"{label}: grid_g_per_kwh", grid_g_per_kwh, most=_BOUNDS["grid_g_per_kwh"]),
        )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scenario:
        """Build a scenario from a JSON-like mapping (``costs`` as CostModel keyword arguments)."""
        if not isinstance(d, Mapping):
            raise DataError(f"a scenario must be an object, got {shown(d)}")
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
            "traction",
            "grid_g_per_kwh",
        }
        unknown = sorted(str(k)[:80] for k in set(d) - known)
        label = f"Scenario {shown(d.get('name', '?'))}"
        if unknown:
            raise DataError(
                f"{label}: unknown field(s) {', '.join(unknown[:10])}; "
                f"expected {', '.join(sorted(known))}"
            )
        kw = dict(d)
        if "name" not in kw:
            raise DataError(f"a scenario needs a 'name': {shown(dict(d))}")
        costs = kw.pop("costs", None)
        if costs is not None:
            if not isinstance(costs, Mapping):
                raise DataError(f"{label}: costs must be an object of CostModel fields")
            try:
                kw["costs"] = CostModel(**costs)
            except TypeError as exc:
                raise DataError(f"{label}: costs: {exc}") from None
            except DataError as exc:
                raise DataError(f"{label}: costs: {exc}") from None
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
        if self.traction:
            out["traction"] = dict(self.traction)
        if self.grid_g_per_kwh:
            out["grid_g_per_kwh"] = dict(self.grid_g_per_kwh)
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
    if not isinstance(path, str | os.PathLike):
        raise DataError(f"path must be a file path, got {shown(path)}")
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise DataError(
                f"{p}: {p.stat().st_size:,} bytes is too big for a scenario file "
                f"(at most {MAX_FILE_BYTES:,})"
            )
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{p}: is a directory, not a scenario file") from None
    except PermissionError:
        raise DataError(f"{p}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot be read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not a JSON scenario file: {exc}") from None
    except RecursionError:
        raise DataError(f"{p}: not a scenario file: JSON nested too deeply") from None
    items = doc.get("scenarios") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise DataError(f"{p}: expected a list of scenarios or {{'scenarios': [...]}}")
    if len(items) > MAX_SCENARIOS:
        raise DataError(f"{p}: {len(items):,} scenarios, at most {MAX_SCENARIOS:,} in one file")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(Scenario.from_dict(item))
        except DataError as exc:
            raise DataError(f"{p}: scenario #{i}: {exc}") from None
        except RecursionError:
            raise DataError(f"{p}: scenario #{i}: nested too deeply") from None
    counts = Counter(s.name for s in out)
    dup = sorted(n for n, c in counts.items() if c > 1)
    if dup:
        names = ", ".join(shown(n) for n in dup[:10])
        more = f" and {len(dup) - 10:,} more" if len(dup) > 10 else ""
        raise DataError(f"{p}: duplicate scenario names: {names}{more}")
    return out


@cache
def presets() -> dict[str, Scenario]:
    """The bundled what-if presets by key (``data/scenarios.json``).

    Examples
    --------
    >>> sorted(presets())[:3]
    ['carbon_price_100', 'china_laos_hydro', 'huangtong_baise_open']
    """
    from corridor.io import bundled_data_path

    doc = json.loads(bundled_data_path("scenarios.json").read_text(encoding="utf-8"))
    return {
        item["key"]: Scenario.from_dict({k: v for k, v in item.items() if k != "key"})
        for item in doc["scenarios"]
    }
