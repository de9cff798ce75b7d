"""Emissions as shippers report them: ISO 14083:2023 and the GLEC Framework v3.

Every transport chain element (a leg on one vehicle, or a handling at a hub) gets its
well-to-wheel (WTW) and tank-to-wheel (TTW) kg CO2e per TEU, from the emission intensity
of its vehicle class and energy carrier:

- **rail**: electric traction uses the energy per tonne-km at the pantograph times the
  grid factor of each country the line runs through (the link's length split by country
  over the bundled Natural Earth borders); diesel traction a diesel train's intensity. The
  share hauled electrically comes from ``data/sources/rail_traction.csv`` (by line where
  known, else by country).
- **road**: an articulated 34–40 t truck, average laden with empty running;
- **sea**: container ships by trade lane (a sea lane of the Asia–Europe corridors counts
  as the mainline, every other lane as intra-Asia), per TEU-km;
- **inland waterway**: a container barge; **air**: a freighter, short or long haul.

Hubs (a seaport's export, import or transshipment, a river port, a rail terminal's change
of mode, a break of gauge) add their handling emissions once per handling. Sea and air
distances of the network are shortest feasible distances (searoute lanes, great circles),
so the distance adjustment factor of their mode applies; rail and road lengths are route
lengths already (published line lengths, or geometry times a calibrated circuity).

The tables are ``data/sources/emission_intensities.csv``, ``energy_carriers.csv``,
``grid_factors.csv``, ``hub_emissions.csv``, ``distance_adjustment.csv`` and
``rail_traction.csv`` (every row with its source), bundled as ``data/emissions.json`` by
``scripts/build_data.py``.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> r = cr.route(net, "Guiyang", "Singapore")
>>> e = r.emissions()
>>> bool(abs(e["wtw_kg"].sum() - r.total_co2_kg) < 1e-6)
True
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._errors import DataError, Problem
from corridor._schema import MODES

if TYPE_CHECKING:
    from corridor.network import Network
    from corridor.routing import Route
    from corridor.scenario import Scenario

__all__ = [
    "HUB_KINDS",
    "INTENSITY_UNITS",
    "TABLES",
    "VEHICLES",
    "EmissionTables",
    "LinkFactors",
    "allocate",
    "element_table",
    "fuel_kg",
    "hub_factor",
    "leg_kg",
    "link_factors",
    "load_emission_tables",
    "read_emission_tables",
    "site_kg",
]

#: vehicle classes the network's links map to
VEHICLES: tuple[str, ...] = (
    "rail_electric",
    "rail_diesel",
    "truck",
    "container_ship_intra_asia",
    "container_ship_asia_europe",
    "barge",
    "freighter_short_haul",
    "freighter_long_haul",
)
#: the unit each vehicle's intensity is given in
_VEHICLE_UNIT = {
    "rail_electric": "kwh_per_tkm",
    "container_ship_intra_asia": "g_co2e_per_teukm",
    "container_ship_asia_europe": "g_co2e_per_teukm",
}
#: where a box is handled: the kinds of hub emissions
HUB_KINDS: tuple[str, ...] = ("seaport", "river_port", "rail_terminal", "gauge_change", "airport")
#: hub kinds that must have a figure (no published figure for an air cargo terminal was
#: found: a handling at an airport is shown, with tier "not counted", and adds nothing)
REQUIRED_HUB_KINDS: tuple[str, ...] = HUB_KINDS[:-1]
HUB_UNITS = ("kg_co2e_per_teu", "kg_co2e_per_t")
TRACTION_SCOPES = ("country", "line")
#: ISO 14083 data-quality tiers of an element's figure
TIERS = ("default", "modelled", "measured")
#: corridors whose sea lanes are sailed by Asia–Europe mainline ships
MAINLINE_CORRIDORS = frozenset({"sea_suez", "sea_cape"})
#: air: DEFRA's split of short-haul (under 3,700 km) and long-haul international flights
#: (UK DESNZ conversion factors methodology paper, "Freighting goods: air")
AIR_LONG_HAUL_KM = 3700.0
#: the tables, in ``data/emissions.json`` order, and their CSV files
TABLES: dict[str, str] = {
    "intensities": "emission_intensities.csv",
    "energy": "energy_carriers.csv",
    "grid": "grid_factors.csv",
    "hubs": "hub_emissions.csv",
    "daf": "distance_adjustment.csv",
    "traction": "rail_traction.csv",
}
_TEXT_REQUIRED = ("source",)


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).strip()


def _flag(v: Any) -> bool | None:
    """A table's true/false cell (text in a CSV); None if it is neither."""
    if isinstance(v, bool):
        return v
    t = _text(v).lower()
    return {"true": True, "false": False}.get(t)


def _texts(row: Mapping[str, Any], *fields: str) -> dict[str, str]:
    """The text cells ``fields`` of a row, stripped ("" for empty)."""
    return {f: _text(row.get(f)) for f in fields}


class _Rows:
    """Checks one table row by row, collecting every problem with its row and field."""

    def __init__(self, src: str, table: str) -> None:
        self.src, self.table = src, table
        self.problems: list[Problem] = []

    def frame(
        self,
        out: list[dict[str, Any]],
        in_use: tuple[str, Iterable[str], Iterable[str]] | None = None,
    ) -> pd.DataFrame:
        """The rows read as a DataFrame, once every row passed; with ``in_use = (column,
        keys, required)``, also :func:`_one_in_use`. Raises every problem at once."""
        df = pd.DataFrame(out)
        if in_use is not None and not self.problems:
            _one_in_use(self, df, *in_use)
        if self.problems:
            raise DataError(self.problems)
        return df

    def number(
        self,
        label: str,
        row: Mapping[str, Any],
        fld: str,
        *,
        required: bool = True,
        low: float = 0.0,
        high: float = math.inf,
        low_open: bool = False,
    ) -> float | None:
        from corridor.tables import cell_number

        try:
            x = cell_number(row.get(fld), required=required)
        except ValueError as exc:
            self.bad(label, fld, str(exc))
            return None
        if x is None:
            return None
        if (low_open and not x > low) or x < low or x > high:
            lo = f"> {low:g}" if low_open else f">= {low:g}"
            hi = "" if math.isinf(high) else f" and at most {high:g}"
            self.bad(label, fld, f"must be {lo}{hi}, got {x!r}")
            return None
        return x

    def bad(self, label: str, fld: str, message: str) -> None:
        self.problems.append(Problem(self.src, label, fld, message))

    def sourced(self, label: str, row: Mapping[str, Any]) -> None:
        if not _text(row.get("source")):
            self.bad(label, "source", "must say where the figure comes from")


def _one_in_use(
    chk: _Rows, df: pd.DataFrame, column: str, keys: Iterable[str], required: Iterable[str]
) -> None:
    """Each of ``keys`` has at most one row with ``use`` true, and the ``required`` ones
    exactly one."""
    need = set(required)
    for k in keys:
        n = int((df[column].eq(k) & df["use"]).sum()) if len(df) else 0
        if n > 1 or (n == 0 and k in need):
            what = column.replace("_", " ")
            chk.bad(k, "use", f"exactly one row of {what} {k!r} must have use = true, got {n}")


@dataclass(frozen=True, eq=False)
class EmissionTables:
    """The checked emission tables (see the module docstring), as DataFrames.

    ``intensities`` holds every row read (alternatives included, ``use`` marking the one
    each vehicle class uses); :attr:`used` the rows in use, by vehicle.
    """

    intensities: pd.DataFrame
    energy: pd.DataFrame
    grid: pd.DataFrame
    hubs: pd.DataFrame
    daf: pd.DataFrame
    traction: pd.DataFrame

    @cached_property
    def used(self) -> pd.DataFrame:
        """The intensity row each vehicle class uses, indexed by vehicle."""
        u = self.intensities[self.intensities["use"]]
        return u.set_index("vehicle")

    @cached_property
    def hub_used(self) -> pd.DataFrame:
        """The hub figure each hub kind uses, indexed by kind."""
        return self.hubs[self.hubs["use"]].set_index("hub_kind")

    @cached_property
    def hub_figures(self) -> dict[str, tuple[str, float, float]]:
        """``kind -> (unit, wtw, ttw)`` of the hub figures in use."""
        return {
            str(k): (str(r["unit"]), float(r["wtw"]), float(r["ttw"]))
            for k, r in self.hub_used.iterrows()
        }

    def to_json(self) -> str:
        """The tables as the bundled JSON."""
        doc = {}
        for name in TABLES:
            df = getattr(self, name)
            recs = [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in df.to_dict("records")
            ]
            doc[name] = recs
        return json.dumps(doc, ensure_ascii=False, indent=0) + "\n"


def _read_intensities(src: str, rows: list[dict[str, Any]], energies: set[str]) -> pd.DataFrame:
    chk = _Rows(src, "intensities")
    out = []
    for i, row in enumerate(rows):
        v = _text(row.get("vehicle"))
        label = f"#{i + 1} ({v})"
        before = len(chk.problems)
        if v not in VEHICLES:
            chk.bad(label, "vehicle", f"unknown vehicle class {v!r}; one of {', '.join(VEHICLES)}")
        unit = _text(row.get("unit"))
        want = _VEHICLE_UNIT.get(v, "g_co2e_per_tkm")
        if v in VEHICLES and unit != want:
            chk.bad(label, "unit", f"{v} is given in {want}, got {unit!r}")
        energy = _text(row.get("energy"))
        if energy not in energies:
            chk.bad(
                label,
                "energy",
                f"unknown energy carrier {energy!r}; one of {', '.join(sorted(energies))}",
            )
        ttw = chk.number(label, row, "ttw", high=5_000.0)
        wtw = chk.number(label, row, "wtw", required=v != "rail_electric", high=5_000.0)
        if ttw is not None and wtw is not None and energy != "electricity" and wtw < ttw:
            chk.bad(label, "wtw", f"well-to-wheel {wtw:g} is below tank-to-wheel {ttw:g}")
        lf = chk.number(label, row, "load_factor", required=False, high=1.0, low_open=True)
        er = chk.number(label, row, "empty_running", required=False, high=0.99)
        use = _flag(row.get("use"))
        if use is None:
            chk.bad(label, "use", f"must be true or false, got {row.get('use')!r}")
        chk.sourced(label, row)
        if len(chk.problems) > before:
            continue
        out.append(
            {"vehicle": v, "mode": _text(row.get("mode")), "vehicle_class": _text(
                row.get("vehicle_class")), "energy": energy, "unit": unit, "ttw": ttw,
             "wtw": wtw if wtw is not None else math.nan, "load_factor": lf, "empty_running": er,
             "use": bool(use), **_texts(row,
                 "region", "source", "table", "year", "method", "note")}
        )  # fmt: skip
    return chk.frame(out, ("vehicle", VEHICLES, VEHICLES))


def _read_energy(src: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    chk = _Rows(src, "energy")
    out = []
    for i, row in enumerate(rows):
        e = _text(row.get("energy"))
        label = f"#{i + 1} ({e})"
        before = len(chk.problems)
        if not e:
            chk.bad(label, "energy", "must name the energy carrier")
        ttw = chk.number(label, row, "ttw", required=False, high=100.0)
        wtw = chk.number(label, row, "wtw", required=False, high=100.0)
        if ttw is not None and wtw is not None and wtw < ttw:
            chk.bad(label, "wtw", f"well-to-wheel {wtw:g} is below tank-to-wheel {ttw:g}")
        chk.sourced(label, row)
        if len(chk.problems) == before:
            out.append(
                {"energy": e, "unit": _text(row.get("unit")), "ttw": ttw, "wtw": wtw,
                 **_texts(row, "source", "table", "year", "method", "note")}
            )  # fmt: skip
    return chk.frame(out)


@lru_cache(maxsize=1)
def _known_countries() -> frozenset[str]:
    """ISO 3166 alpha-3 codes: the basemap's and the bundled hubs' (Singapore is too small
    for the 1:110m map)."""
    from corridor.io import bundled_data_path
    from corridor.plot import basemap

    codes = {c for c in basemap()["iso_a3"] if isinstance(c, str) and len(c) == 3}
    with open(bundled_data_path("nodes.geojson"), encoding="utf-8") as fh:
        codes |= {f["properties"]["country"] for f in json.load(fh)["features"]}
    return frozenset(c for c in codes if c.isalpha() and c.isupper())


def _read_grid(src: str, rows: list[dict[str, Any]], countries: frozenset[str]) -> pd.DataFrame:
    chk = _Rows(src, "grid")
    out = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        c = _text(row.get("country_iso3"))
        label = f"#{i + 1} ({c})"
        before = len(chk.problems)
        if c not in countries:
            chk.bad(label, "country_iso3", f"unknown country {c!r} (an ISO 3166 alpha-3 code)")
        elif c in seen:
            chk.bad(label, "country_iso3", f"{c} twice")
        seen.add(c)
        g = chk.number(label, row, "g_co2e_per_kwh", high=2_000.0)
        chk.sourced(label, row)
        if len(chk.problems) == before:
            out.append(
                {"country_iso3": c, "country": _text(row.get("country")), "g_co2e_per_kwh": g,
                 **_texts(row, "basis", "year", "source", "method", "note")}
            )  # fmt: skip
    return chk.frame(out)


def _read_hubs(src: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    chk = _Rows(src, "hubs")
    out = []
    for i, row in enumerate(rows):
        k = _text(row.get("hub_kind"))
        label = f"#{i + 1} ({k})"
        before = len(chk.problems)
        if k not in HUB_KINDS:
            chk.bad(label, "hub_kind", f"unknown hub kind {k!r}; one of {', '.join(HUB_KINDS)}")
        unit = _text(row.get("unit"))
        if unit not in HUB_UNITS:
            chk.bad(label, "unit", f"must be one of {', '.join(HUB_UNITS)}, got {unit!r}")
        ttw = chk.number(label, row, "ttw", high=1_000.0)
        wtw = chk.number(label, row, "wtw", high=1_000.0)
        if ttw is not None and wtw is not None and wtw < ttw:
            chk.bad(label, "wtw", f"well-to-wheel {wtw:g} is below tank-to-wheel {ttw:g}")
        use = _flag(row.get("use"))
        if use is None:
            chk.bad(label, "use", f"must be true or false, got {row.get('use')!r}")
        chk.sourced(label, row)
        if len(chk.problems) == before:
            out.append(
                {"hub_kind": k, "unit": unit, "ttw": ttw, "wtw": wtw, "use": bool(use),
                 **_texts(row, "source", "table", "year", "method", "note")}
            )  # fmt: skip
    return chk.frame(out, ("hub_kind", HUB_KINDS, REQUIRED_HUB_KINDS))


def _read_daf(src: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    chk = _Rows(src, "daf")
    out = []
    for i, row in enumerate(rows):
        m = _text(row.get("mode"))
        label = f"#{i + 1} ({m})"
        before = len(chk.problems)
        if m not in MODES:
            chk.bad(label, "mode", f"unknown mode {m!r}; one of {', '.join(MODES)}")
        f = chk.number(label, row, "factor", low=1.0, high=2.0)
        add = chk.number(label, row, "additive_km", required=False, high=1_000.0)
        chk.sourced(label, row)
        if len(chk.problems) == before:
            out.append(
                {"mode": m, "factor": f, "additive_km": add or 0.0,
                 **_texts(row, "source", "table", "year", "note")}
            )  # fmt: skip
    return chk.frame(out)


def _read_traction(src: str, rows: list[dict[str, Any]], countries: frozenset[str]) -> pd.DataFrame:
    chk = _Rows(src, "traction")
    out = []
    for i, row in enumerate(rows):
        scope, key = _text(row.get("scope")), _text(row.get("key"))
        label = f"#{i + 1} ({key})"
        before = len(chk.problems)
        if scope not in TRACTION_SCOPES:
            chk.bad(label, "scope", f"must be one of {', '.join(TRACTION_SCOPES)}, got {scope!r}")
        elif scope == "country" and key not in countries:
            chk.bad(label, "key", f"unknown country {key!r} (an ISO 3166 alpha-3 code)")
        elif not key:
            chk.bad(label, "key", "must name the line")
        share = chk.number(label, row, "electric_share", high=1.0)
        chk.sourced(label, row)
        if len(chk.problems) == before:
            out.append(
                {"scope": scope, "key": key, "electric_share": share,
                 **_texts(row, "source", "year", "method", "note")}
            )  # fmt: skip
    return chk.frame(out)


def read_emission_tables(
    source: str | os.PathLike[str] | Mapping[str, pd.DataFrame],
) -> EmissionTables:
    """Read and check the emission tables.

    Parameters
    ----------
    source : path or mapping
        A directory holding the CSV files of :data:`TABLES`, the bundled JSON
        (``data/emissions.json``), or a mapping of table name to DataFrame.

    Raises
    ------
    DataError
        Every problem, named by file, row and field: a negative or non-finite intensity,
        an unknown vehicle class, energy carrier or hub kind, a load factor outside (0, 1],
        well-to-wheel below tank-to-wheel, a grid factor for an unknown country, a vehicle
        class without exactly one row in use.
    """
    from corridor.tables import read_rows

    frames: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    if isinstance(source, Mapping):
        for name in TABLES:
            if name not in source:
                raise DataError(f"emission tables: no {name!r} table")
            frames[name] = read_rows(source[name], name)
    elif isinstance(source, str | os.PathLike):
        p = os.fspath(source)
        if p.endswith(".json"):
            for name in TABLES:
                frames[name] = read_rows(p, name)
        else:
            for name, file in TABLES.items():
                frames[name] = read_rows(os.path.join(p, file), name)
    else:
        raise DataError(
            f"emission tables must be a directory, a JSON file or a mapping of DataFrames, "
            f"got {type(source).__name__}"
        )
    countries = _known_countries()
    energy = _read_energy(*frames["energy"])
    energies = {*energy["energy"], "electricity"} if len(energy) else {"electricity"}
    return EmissionTables(
        intensities=_read_intensities(*frames["intensities"], energies),
        energy=energy,
        grid=_read_grid(*frames["grid"], countries),
        hubs=_read_hubs(*frames["hubs"]),
        daf=_read_daf(*frames["daf"]),
        traction=_read_traction(*frames["traction"], countries),
    )


@lru_cache(maxsize=1)
def _bundled() -> EmissionTables:
    from corridor.io import bundled_data_path

    return read_emission_tables(bundled_data_path("emissions.json"))


def load_emission_tables(
    source: str | os.PathLike[str] | Mapping[str, pd.DataFrame] | None = None,
) -> EmissionTables:
    """The bundled emission tables (``data/emissions.json``), or yours, checked.

    Examples
    --------
    >>> t = load_emission_tables()
    >>> sorted(t.used.index) == sorted(VEHICLES)
    True
    """
    if source is None:
        return _bundled()
    return read_emission_tables(source)


# ------------------------------------------------------------------ the arithmetic

#: intensity units :func:`leg_kg` reads: (kg per unit, whether per TEU rather than tonne)
INTENSITY_UNITS: dict[str, tuple[float, bool]] = {
    "g_co2e_per_tkm": (1e-3, False),
    "kg_co2e_per_tkm": (1.0, False),
    "kg_co2_per_tkm": (1.0, False),
    "g_co2e_per_teukm": (1e-3, True),
    "kg_co2e_per_teukm": (1.0, True),
}


def _positive(name: str, x: object, *, zero: bool = True) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise DataError(f"{name} must be a number, got {x!r}")
    v = float(x)
    if not math.isfinite(v) or v < 0 or (not zero and v == 0):
        raise DataError(f"{name} must be a finite number {'>=' if zero else '>'} 0, got {x!r}")
    return v


def leg_kg(
    distance_km: float,
    intensity: float,
    unit: str,
    *,
    mass_t: float | None = None,
    teu: float | None = None,
    daf: float = 1.0,
) -> float:
    """kg CO2e of one leg: distance (times the distance adjustment factor) times the
    activity (tonnes or TEU, as the intensity's unit is per tonne-km or per TEU-km) times
    the intensity (ISO 14083 / GHG Protocol distance-based method).

    Examples
    --------
    GHG Protocol Scope 3 guidance, example 4.2 (road leg): 2 t over 2,000 km at 0.2 kg
    CO2e per tonne-km.

    >>> leg_kg(2000, 0.2, "kg_co2e_per_tkm", mass_t=2)
    800.0
    """
    if unit not in INTENSITY_UNITS:
        raise DataError(f"unknown intensity unit {unit!r}; one of {', '.join(INTENSITY_UNITS)}")
    scale, per_teu = INTENSITY_UNITS[unit]
    activity = teu if per_teu else mass_t
    if activity is None:
        raise DataError(f"an intensity in {unit} needs {'teu' if per_teu else 'mass_t'}")
    d = _positive("distance_km", distance_km)
    f = _positive("daf", daf)
    if f < 1.0:
        raise DataError(f"daf must be >= 1 (a distance adjustment lengthens), got {daf!r}")
    return d * f * _positive("activity", activity) * _positive("intensity", intensity) * scale


def fuel_kg(quantity: float, factor: float) -> float:
    """kg CO2e of a fuel quantity (litres or kg) at a factor per unit (fuel-based method).

    Examples
    --------
    >>> fuel_kg(220_000, 3.0)
    660000.0
    """
    return _positive("quantity", quantity) * _positive("factor", factor)


def allocate(total_kg: float, activity: Iterable[float]) -> NDArray[np.float64]:
    """Share a vehicle's (or a hub's) emissions among the shipments it carried in
    proportion to their activity (tonne-km, TEU handled): ISO 14083's allocation.

    Examples
    --------
    GHG Protocol Scope 3 guidance, example 4.3: a 31.5 kg run over 240, 150 and 250
    driven tonne-km.

    >>> allocate(31.5, [240, 150, 250]).round(1).tolist()
    [11.8, 7.4, 12.3]
    """
    t = _positive("total_kg", total_kg)
    a = np.asarray([_positive("activity", x) for x in activity], dtype=float)
    if a.size == 0 or a.sum() == 0:
        raise DataError("allocate needs at least one shipment with activity > 0")
    out: NDArray[np.float64] = t * a / a.sum()
    return out


def site_kg(energy: Mapping[str, tuple[float, float]], share: float) -> float:
    """kg CO2e allocated to a shipment at a site: the site's energy use by carrier (kWh,
    kg CO2e per kWh) summed, times the shipment's share of the site's activity.

    Examples
    --------
    GHG Protocol Scope 3 guidance, example 4.5 (facility 1).

    >>> site_kg({"electricity": (10_000, 0.8), "gas": (1_000, 0.25)}, 0.25)
    2062.5
    """
    sh = _positive("share", share)
    if sh > 1:
        raise DataError(f"share must be at most 1, got {share!r}")
    total = sum(
        _positive(f"{k} kWh", q) * _positive(f"{k} factor", f) for k, (q, f) in energy.items()
    )
    return total * sh


# --------------------------------------------------------------------------- per link


@lru_cache(maxsize=8)
def _country_shares(net: Network) -> tuple[tuple[tuple[str, float], ...], ...]:
    """Per link, the share of its length in each country: a link between two hubs of one
    country lies in it; a link joining two countries is split over the Natural Earth
    borders, the part outside every polygon going to its end countries equally."""
    from pyproj import Geod
    from shapely import STRtree

    from corridor.plot import basemap

    geod = Geod(ellps="WGS84")
    bm = basemap()
    polys = bm.geometry.to_numpy()
    codes = bm["iso_a3"].to_numpy()
    tree = STRtree(polys)
    country = net._nodes["country"]
    out: list[tuple[tuple[str, float], ...]] = []
    for _, row in net._edges.iterrows():
        ca, cb = str(country[row["from"]]), str(country[row["to"]])
        if ca == cb:
            out.append(((ca, 1.0),))
            continue
        g = row.geometry
        total = geod.geometry_length(g)
        parts: dict[str, float] = {}
        if total > 0:
            for j in tree.query(g, predicate="intersects"):
                c = str(codes[j])
                if len(c) != 3 or not c.isalpha():
                    continue
                part = geod.geometry_length(g.intersection(polys[j]))
                if part > 0:
                    parts[c] = parts.get(c, 0.0) + part / total
        rest = max(0.0, 1.0 - sum(parts.values()))
        for c in (ca, cb):
            parts[c] = parts.get(c, 0.0) + rest / 2
        norm = sum(parts.values())
        out.append(tuple(sorted(((c, s / norm) for c, s in parts.items()), key=lambda x: -x[1])))
    return tuple(out)


@dataclass(frozen=True)
class LinkFactors:
    """Emission factors per link of a network (in the order of ``net.edges``).

    Attributes
    ----------
    vehicle : tuple of str
        The vehicle class (for rail, the one hauling most of it).
    energy : tuple of str
        The energy carrier(s), with shares for mixed traction.
    tier : tuple of str
        ISO 14083 data-quality tier: ``default`` for every bundled figure (published
        default intensities; for electric trains a default energy use times the grid
        factor of each country); ``modelled`` and ``measured`` are for a user's own data.
    daf : ndarray
        The distance adjustment factor applied to the network's length.
    wtw, ttw : ndarray
        kg CO2e per TEU per km of the network's length (distance adjustment and the cargo
        mass per TEU included).
    """

    vehicle: tuple[str, ...]
    energy: tuple[str, ...]
    tier: tuple[str, ...]
    daf: NDArray[np.float64]
    wtw: NDArray[np.float64]
    ttw: NDArray[np.float64]


def _resolve_lines(
    net: Network, names: Iterable[str], what: str, also: str = ""
) -> dict[str, list[str]]:
    """Line names or link ids to link ids, or raise naming the unknown one (``also``: what
    else the name could have been)."""
    from corridor._compile import _lines, _links_named

    by_line = _lines(net)
    out = {}
    for name in names:
        found = _links_named(net, name, by_line)
        if found is None:
            if also:
                raise DataError(f"{what}: {name!r} is neither {also} nor a line or link")
            raise DataError(f"{what}: no line or link named {name!r}")
        out[name] = found
    return out


def link_factors(
    net: Network,
    cargo_t: float,
    scenario: Scenario | None = None,
    tables: EmissionTables | None = None,
) -> LinkFactors:
    """WTW and TTW kg CO2e per TEU-km of every link, for ``cargo_t`` tonnes per TEU.

    A scenario's ``traction`` (line or link -> ``"electric"`` or ``"diesel"``) and
    ``grid_g_per_kwh`` (country code, line or link -> g CO2e per kWh) change the energy.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> f = link_factors(net, 12.0)
    >>> i = list(net.edges.index).index("r_boten_vientiane")
    >>> f.vehicle[i], f.tier[i]
    ('rail_electric', 'default')
    """
    t = tables if tables is not None else load_emission_tables()
    traction = scenario.traction if scenario is not None else ()
    grid = scenario.grid_g_per_kwh if scenario is not None else ()
    return _link_factors(net, float(cargo_t), tuple(traction), tuple(grid), t)


@lru_cache(maxsize=32)
def _link_factors(
    net: Network,
    cargo_t: float,
    traction: tuple[tuple[str, str], ...],
    grid: tuple[tuple[str, float], ...],
    t: EmissionTables,
) -> LinkFactors:
    used = {
        str(v): (str(r["unit"]), float(r["ttw"]), float(r["wtw"]), str(r["energy"]))
        for v, r in t.used.iterrows()
    }
    kwh_per_tkm = used["rail_electric"][1]
    _, diesel_ttw, diesel_wtw, _ = used["rail_diesel"]
    edges = net._edges
    ids = list(edges.index)
    n = len(ids)
    daf_by_mode = {r["mode"]: (r["factor"], r["additive_km"]) for r in t.daf.to_dict("records")}
    grid_by_country = dict(zip(t.grid["country_iso3"], t.grid["g_co2e_per_kwh"], strict=True))
    share_by_country = {}
    share_by_line: dict[str, float] = {}
    lines = {r["key"]: r["electric_share"] for r in t.traction.to_dict("records")
             if r["scope"] == "line"}  # fmt: skip
    for r in t.traction.to_dict("records"):
        if r["scope"] == "country":
            share_by_country[r["key"]] = float(r["electric_share"])
    known_lines = _resolve_lines_quiet(net, lines)
    for name, links in known_lines.items():
        for li in links:
            share_by_line[li] = float(lines[name])
    for name, links in _resolve_lines(net, [k for k, _ in traction], "traction").items():
        value = dict(traction)[name]
        for li in links:
            share_by_line[li] = 1.0 if value == "electric" else 0.0
    grid_line: dict[str, float] = {}
    countries = _known_countries() | set(net._nodes["country"])
    for k, _ in grid:
        if len(k) == 3 and k.isalpha() and k.isupper() and k not in countries:
            raise DataError(
                f"grid_g_per_kwh: unknown country {k!r} (an ISO 3166 alpha-3 code of the "
                "map or of a hub), nor a line"
            )
    grid_names = [k for k, _ in grid if not (len(k) == 3 and k.isupper() and k in countries)]
    for name, links in _resolve_lines(
        net, grid_names, "grid_g_per_kwh", "a country code (ISO 3166 alpha-3)"
    ).items():
        for li in links:
            grid_line[li] = dict(grid)[name]
    for k, value_g in grid:
        if len(k) == 3 and k.isupper() and k in countries:
            grid_by_country[k] = value_g
    shares = _country_shares(net)
    vehicle, energy, tier = [], [], []
    daf = np.ones(n)
    wtw = np.zeros(n)
    ttw = np.zeros(n)
    modes = edges["mode"].tolist()
    corridors = edges["corridors"].tolist()
    km = edges["length_km"].to_numpy(dtype=float)
    for i, lid in enumerate(ids):
        mode = modes[i]
        f, add = daf_by_mode.get(mode, (1.0, 0.0))
        daf[i] = f + (add / km[i] if km[i] > 0 else 0.0)
        if mode == "rail":
            w_g = t_g = elec = 0.0
            for c, s in shares[i]:
                e_share = share_by_line.get(lid, share_by_country.get(c, 0.0))
                if e_share > 0:
                    g = grid_line.get(lid, grid_by_country.get(c))
                    if g is None:
                        raise DataError(
                            f"link {lid!r}: rail in {c} runs partly on electricity but there "
                            f"is no grid factor for {c} (grid_factors.csv or a scenario's "
                            "grid_g_per_kwh)"
                        )
                    w_g += s * e_share * kwh_per_tkm * g
                w_g += s * (1 - e_share) * diesel_wtw
                t_g += s * (1 - e_share) * diesel_ttw
                elec += s * e_share
            vehicle.append("rail_electric" if elec >= 0.5 else "rail_diesel")
            energy.append(
                "electricity" if elec >= 0.995 else "diesel" if elec <= 0.005
                else f"electricity {elec:.0%}, diesel {1 - elec:.0%}"
            )  # fmt: skip
            tier.append("default")
            wtw[i], ttw[i] = w_g * cargo_t, t_g * cargo_t
            continue
        if mode == "road":
            v = "truck"
        elif mode == "sea":
            v = (
                "container_ship_asia_europe"
                if MAINLINE_CORRIDORS & set(corridors[i] or ())
                else "container_ship_intra_asia"
            )
        elif mode == "inland_waterway":
            v = "barge"
        else:
            v = "freighter_long_haul" if km[i] >= AIR_LONG_HAUL_KM else "freighter_short_haul"
        unit, i_ttw, i_wtw, carrier = used[v]
        # g per TEU-km here (the distance adjustment is applied below)
        wtw[i] = 1000.0 * leg_kg(1.0, i_wtw, unit, mass_t=cargo_t, teu=1.0)
        ttw[i] = 1000.0 * leg_kg(1.0, i_ttw, unit, mass_t=cargo_t, teu=1.0)
        vehicle.append(v)
        energy.append(carrier)
        tier.append("default")
    # g per TEU-km of the adjusted distance -> kg per TEU per network km
    wtw *= daf / 1000.0
    ttw *= daf / 1000.0
    return LinkFactors(tuple(vehicle), tuple(energy), tuple(tier), daf, wtw, ttw)


def _resolve_lines_quiet(net: Network, lines: Mapping[str, float]) -> dict[str, list[str]]:
    """The data's line rows that name lines of ``net`` (a user's network may lack some)."""
    from corridor._compile import _lines, _links_named

    by_line = _lines(net)
    out = {}
    for name in lines:
        found = _links_named(net, name, by_line)
        if found is not None:
            out[name] = found
    return out


def hub_factor(
    kind: str, cargo_t: float, tables: EmissionTables | None = None
) -> tuple[float, float] | None:
    """``(wtw, ttw)`` kg CO2e per TEU of one handling at a hub of ``kind``, or None where
    the tables have no figure for that kind.

    Examples
    --------
    >>> w, t = hub_factor("seaport", 12.0)
    >>> w >= t >= 0
    True
    >>> hub_factor("airport", 12.0) is None
    True
    """
    t = tables if tables is not None else load_emission_tables()
    if kind not in HUB_KINDS:
        raise DataError(f"unknown hub kind {kind!r}; one of {', '.join(HUB_KINDS)}")
    fig = t.hub_figures.get(kind)
    if fig is None:
        return None
    unit, w, tt = fig
    per = 1.0 if unit == "kg_co2e_per_teu" else float(cargo_t)
    return w * per, tt * per


def hub_kind(modes: Iterable[str], gauge_change: bool = False) -> str:
    """The kind of handling a change between ``modes`` at a hub is.

    Examples
    --------
    >>> hub_kind(["rail", "sea"]), hub_kind(["road", "rail"]), hub_kind(["rail"], True)
    ('seaport', 'rail_terminal', 'gauge_change')
    """
    ms = set(modes)
    if gauge_change:
        return "gauge_change"
    if "sea" in ms:
        return "seaport"
    if "inland_waterway" in ms:
        return "river_port"
    if "air" in ms:
        return "airport"
    return "rail_terminal"


#: columns of :func:`element_table`
ELEMENT_COLUMNS = [
    "element", "kind", "from", "to", "mode", "vehicle", "energy", "km", "km_adjusted",
    "tkm", "handlings", "wtw_g_per_tkm", "wtw_kg", "ttw_kg", "tier", "lines",
]  # fmt: skip


def element_table(r: Route) -> pd.DataFrame:
    """The ISO 14083 transport chain elements of a route (see :meth:`Route.emissions`):
    each run of legs on one vehicle class between two handlings is one element, each
    handling at a hub another."""
    from corridor._compile import LINK, RIDE, _static, hub_handlings
    from corridor.costs import CostModel

    g = r._graph
    st = _static(g.net)
    cm: CostModel = g.costs
    cargo = cm.load_t_per_teu
    flat = cm.co2_kg_per_tkm is not None
    f = None if flat else link_factors(g.net, cargo, g.scenario)
    rows: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    arcs = r._arcs
    kinds, lifts = hub_handlings(g.kind[arcs], g.tail[arcs], g.indices[arcs], g.state_mode)

    def close() -> None:
        nonlocal cur
        if cur is not None:
            cur["lines"] = "; ".join(dict.fromkeys(cur["lines"]))
            rows.append(cur)
            cur = None

    for i, a in enumerate(arcs.tolist()):
        k = int(g.kind[a])
        wtw, ttw = float(g.criteria[3, a]), float(g.co2_ttw[a])
        if k in (LINK, RIDE):
            li = int(g.link[a])
            mode = MODES[g.arc_mode[a]]
            km = float(g.criteria[2, a])
            vehicle = mode if f is None else f.vehicle[li]
            energy = "" if f is None else f.energy[li]
            daf = 1.0 if f is None else float(f.daf[li])
            a_hub, b_hub = g.hub_ids[st.a[li]], g.hub_ids[st.b[li]]
            if not g.forward[a]:
                a_hub, b_hub = b_hub, a_hub
            same = (
                cur is not None
                and cur["kind"] == "leg"
                and cur["vehicle"] == vehicle
                and cur["energy"] == energy
                and cur["_service"] == int(g.service[a])
            )
            if not same:
                close()
                cur = {
                    "kind": "leg", "from": a_hub, "to": b_hub, "mode": mode,
                    "vehicle": vehicle, "energy": energy, "km": 0.0, "km_adjusted": 0.0,
                    "tkm": 0.0, "handlings": 0, "wtw_kg": 0.0, "ttw_kg": 0.0,
                    "tier": "default" if f is None else f.tier[li], "lines": [],
                    "_service": int(g.service[a]),
                }  # fmt: skip
            assert cur is not None
            cur["to"] = b_hub
            cur["km"] += km
            cur["km_adjusted"] += km * daf
            cur["tkm"] += km * daf * cargo
            cur["wtw_kg"] += wtw
            cur["ttw_kg"] += ttw
            cur["lines"].append(st.line_names[li])
        elif kinds[i] >= 0 and not flat:
            close()
            h = g.hub_ids[g.hub[a]]
            what = HUB_KINDS[kinds[i]]
            counted = hub_factor(what, cargo) is not None
            rows.append(
                {"kind": "hub", "from": h, "to": h, "mode": "", "vehicle": what, "energy": "",
                 "km": 0.0, "km_adjusted": 0.0, "tkm": 0.0, "handlings": int(lifts[i]),
                 "wtw_kg": wtw, "ttw_kg": ttw,
                 "tier": "default" if counted else "not counted (no figure)", "lines": "",
                 "_service": -1}
            )  # fmt: skip
    close()
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=ELEMENT_COLUMNS)
    df["element"] = np.arange(1, len(df) + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["wtw_g_per_tkm"] = np.where(df["tkm"] > 0, 1000.0 * df["wtw_kg"] / df["tkm"], np.nan)
    return df[ELEMENT_COLUMNS].reset_index(drop=True)
