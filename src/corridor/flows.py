"""Flows: container demand assigned to the corridors under capacity, and the bottlenecks.

A :class:`Demand` (TEU between hubs, by cargo segment) is assigned to the compiled network
by :func:`assign`:

* ``"aon"``: all-or-nothing, every box on its cheapest route at free flow (the baseline);
* ``"ue"``: deterministic user equilibrium by the bi-conjugate Frank–Wolfe method
  (Mitradjieva & Lindberg 2013, as AequilibraE's ``bfw``): no box can lower its cost by
  changing route; the relative gap is reported per iteration;
* ``"sue"``: stochastic user equilibrium by the method of successive averages over the
  logit of :func:`corridor.market_shares` (its calibrated scale and constants), the choice
  set being each corridor's best route at free flow.

Capacities (``data/sources/capacity.csv``, each with ``source`` and ``method``) live with
what they limit: a service (TEU per departure x departures a week, on each of its legs), a
border crossing by mode (trains or trucks a day), a seaport (TEU a year) and a lock (tonnes
a year). Elements without a capacity are uncapacitated. ``background`` is the traffic
already using an element (other shippers' boxes, bulk cargo through a lock), in the same
unit. The delay an element adds to each box crossing it is a BPR curve (US Bureau of
Public Roads 1964) measured from today's traffic, so the network's own times stay those of
today and the assignment adds what the demand causes::

    delay(v) = T * ALPHA * (((v + b) / c) ** BETA - (b / c) ** BETA)    hours

with ``v`` the assigned TEU a week, ``b`` the background, ``c`` the capacity, ``ALPHA`` =
0.15, ``BETA`` = 4 and ``T`` the element's queue scale: a service's headway (a box that
finds its departure full waits for the next), a day for a border, port or lock (a day's
capacity). Costs are in hours-equivalents per class (USD / value of time + hours), so
every segment's own value of time chooses its routes and the delays in hours are shared:
the equilibrium then has a convex potential and Frank–Wolfe converges.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._checks import check_int, check_names, check_network, check_number, shown
from corridor._errors import DataError, NodeNotFound, NoRouteError, Problem

if TYPE_CHECKING:
    import geopandas as gpd
    from scipy.sparse import csr_matrix

    from corridor._compile import CompiledGraph
    from corridor.costs import CostModel
    from corridor.network import Network
    from corridor.scenario import Scenario

__all__ = [
    "ALPHA",
    "BETA",
    "Assignment",
    "Demand",
    "assign",
    "assign_scenarios",
    "load_capacity",
    "load_demand",
    "read_capacity",
]

#: BPR delay curve (Bureau of Public Roads 1964): alpha and beta
ALPHA, BETA = 0.15, 4.0
WEEKS_PER_YEAR = 52.0
METHODS = ("ue", "sue", "aon")
#: routes in the SUE choice set of a pair no corridor serves (:func:`corridor.alternatives`)
SUE_FALLBACK_ROUTES = 4
#: longest path (arcs) the assignment traces
MAX_PATH_ARCS = 512
#: the most TEU a year a demand row may carry (world container throughput is under 1e9)
MAX_TEU_PER_YEAR = 1e9

# ------------------------------------------------------------------------------ demand

DEMAND_COLUMNS = ("origin", "destination", "teu_per_year", "segment", "source", "method")


def _bad_volume(v: Any) -> tuple[float | None, str]:
    """A volume cell: ``(number or None if empty, "")``, or ``(None, what is wrong)``."""
    from corridor.tables import cell_number

    try:
        return cell_number(v), ""
    except ValueError as exc:
        return None, str(exc)


@dataclass(frozen=True)
class Demand:
    """Container demand between hubs, TEU a year, by cargo segment.

    Build it with :meth:`read` (CSV, Parquet, JSON or a DataFrame with ``origin``,
    ``destination``, ``teu_per_year`` or ``teu_per_week``, and optionally ``segment``,
    ``source``, ``method``) or :func:`load_demand` (the bundled Guizhou example).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (origin, destination, segment): hub ids, ``teu_per_year``, ``segment``
        ("" for mixed cargo, priced by the cost model as it is), ``source``, ``method``.
    """

    table: pd.DataFrame

    @property
    def total_teu_per_year(self) -> float:
        """All the demand, TEU a year."""
        return float(self.table["teu_per_year"].sum())

    def __len__(self) -> int:
        return len(self.table)

    @classmethod
    def read(
        cls, source: str | os.PathLike[str] | pd.DataFrame, net: Network | None = None
    ) -> Demand:
        """A demand table, checked: every problem named by row and field (an unknown hub
        or segment, a volume negative, non-finite or missing, both or neither of
        ``teu_per_year`` and ``teu_per_week``, a hub to itself, and the same origin,
        destination and segment twice: an error, never summed silently).

        Examples
        --------
        >>> import pandas as pd
        >>> import corridor as cr
        >>> d = Demand.read(pd.DataFrame({"origin": ["Guiyang"], "destination": ["Singapore"],
        ...                               "teu_per_week": [10]}), cr.load_network())
        >>> d.table.loc[0, "origin"], float(d.table.loc[0, "teu_per_year"])
        ('guiyang', 520.0)
        """
        from corridor.segments import load_segments

        frame, label = _demand_frame(source)
        segments = set(load_segments().index)
        problems: list[Problem] = []
        rows = []
        seen: dict[tuple[str, str, str], int] = {}
        for i, rec in enumerate(frame.to_dict("records")):
            row = f"row {i + 1}"
            n_before = len(problems)

            def bad(fld: str, message: str, row: str = row) -> None:
                problems.append(Problem(label, row, fld, message))

            ends = []
            for fld in ("origin", "destination"):
                v = rec.get(fld)
                if not isinstance(v, str) or not v.strip():
                    bad(fld, f"must be a hub name, got {shown(v)}")
                    ends.append("")
                    continue
                if net is None:
                    ends.append(v.strip())
                    continue
                try:
                    ends.append(net.hub_id(v.strip()))
                except NodeNotFound as exc:
                    bad(fld, f"unknown hub {exc}")
                    ends.append("")
            per_year, why_y = _bad_volume(rec.get("teu_per_year"))
            per_week, why_w = _bad_volume(rec.get("teu_per_week"))
            if why_y:
                bad("teu_per_year", why_y)
            if why_w:
                bad("teu_per_week", why_w)
            if not why_y and not why_w:
                if (per_year is None) == (per_week is None):
                    bad("teu_per_year", "give teu_per_year or teu_per_week (one of them)")
                elif per_week is not None:
                    per_year = per_week * WEEKS_PER_YEAR
                if per_year is not None and per_year > MAX_TEU_PER_YEAR:
                    bad("teu_per_year", f"must be at most {MAX_TEU_PER_YEAR:g}, got {per_year:g}")
            seg = rec.get("segment")
            seg = "" if seg is None or (isinstance(seg, float) and math.isnan(seg)) else seg
            if not isinstance(seg, str) or (seg.strip() and seg.strip() not in segments):
                bad(
                    "segment",
                    f"unknown cargo segment {shown(seg)}; one of {', '.join(sorted(segments))}",
                )
                seg = ""
            seg = seg.strip()
            if ends[0] and ends[0] == ends[1]:
                bad("destination", f"the same hub as the origin ({ends[0]!r})")
            key = (ends[0], ends[1], seg)
            if all(ends) and key in seen:
                bad("origin", f"the same origin, destination and segment as row {seen[key] + 1}")
            seen.setdefault(key, i)
            if len(problems) > n_before:
                continue
            rows.append({
                "origin": ends[0], "destination": ends[1], "teu_per_year": float(per_year or 0.0),
                "segment": seg, "source": str(rec.get("source") or ""),
                "method": str(rec.get("method") or ""),
            })  # fmt: skip
        if not rows and not problems:
            problems.append(Problem(label, None, None, "no demand rows"))
        if problems:
            raise DataError(problems)
        return cls(pd.DataFrame(rows, columns=list(DEMAND_COLUMNS)))


def _demand_frame(source: object) -> tuple[pd.DataFrame, str]:
    if isinstance(source, Demand):
        return source.table, "demand"
    if isinstance(source, pd.DataFrame):
        return source, "demand"
    if not isinstance(source, str | os.PathLike):
        raise DataError(f"demand must be a path, a DataFrame or a Demand, got {shown(source)}")
    from pathlib import Path

    p = Path(source)
    if not p.is_file():
        raise DataError(f"{p}: demand file not found")
    try:
        if p.suffix.lower() == ".parquet":
            try:
                frame = pd.read_parquet(p)
            except ImportError:
                raise DataError(
                    f"{p}: reading Parquet needs pyarrow: pip install pyarrow (or give a CSV)"
                ) from None
        elif p.suffix.lower() == ".json":
            frame = pd.read_json(p)
        else:
            frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
        raise DataError(f"{p}: not a readable demand table: {exc}") from None
    missing = [c for c in ("origin", "destination") if c not in frame.columns]
    if missing or not ({"teu_per_year", "teu_per_week"} & set(frame.columns)):
        raise DataError(
            f"{p}: a demand table needs columns origin, destination and teu_per_year or "
            f"teu_per_week; it has {', '.join(map(str, frame.columns))}"
        )
    return frame, str(p)


def load_demand(path: str | os.PathLike[str] | None = None, net: Network | None = None) -> Demand:
    """The bundled illustrative Guizhou demand (``data/demand_guizhou.csv``), or a file.

    Examples
    --------
    >>> d = load_demand()
    >>> d.total_teu_per_year > 10_000
    True
    """
    from corridor.io import bundled_data_path

    return Demand.read(path if path is not None else bundled_data_path("demand_guizhou.csv"), net)


# ---------------------------------------------------------------------------- capacity

CAPACITY_COLUMNS = (
    "element", "id", "mode", "capacity", "unit", "teu_per_unit", "background", "source", "method",
)  # fmt: skip
#: units of a capacity row, per element kind, and how many weeks they span
UNITS: dict[str, dict[str, float | None]] = {
    "service": {"teu_per_departure": None},
    "border": {"trains_per_day": 1 / 7, "trucks_per_day": 1 / 7},
    "port": {"teu_per_year": WEEKS_PER_YEAR},
    "lock": {"tonnes_per_year": WEEKS_PER_YEAR},
}


def read_capacity(
    source: str | os.PathLike[str] | pd.DataFrame,
    net: Network | None = None,
    *,
    hubs: Iterable[str] | None = None,
    services: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The capacity table, checked: a known element kind, service or hub (border, seaport
    or lock), a unit of that kind, a capacity > 0, a ``teu_per_unit`` > 0 where the unit is
    not TEU, a background >= 0, a source; each element once.

    Returns
    -------
    pandas.DataFrame
        :data:`CAPACITY_COLUMNS`, one row per element.
    """
    from corridor.tables import read_rows

    src, rows = read_rows(source, "capacity")
    problems: list[Problem] = []
    out = []
    seen: set[tuple[str, str, str]] = set()
    service_ids = set(net._services.index) if net is not None else None
    hub_ids = set(net._nodes.index) if net is not None else None
    if services is not None:
        service_ids = set(services)
    if hubs is not None:
        hub_ids = set(hubs)
    for i, rec in enumerate(rows):
        kind, ident = rec.get("element"), rec.get("id")
        mode = rec.get("mode") or ""
        mode = "" if isinstance(mode, float) else str(mode)
        label = f"#{i + 1} ({kind}/{ident}{'/' + mode if mode else ''})"
        n_before = len(problems)

        def bad(fld: str, message: str, label: str = label) -> None:
            problems.append(Problem(src, label, fld, message))

        if kind not in UNITS:
            bad("element", f"must be one of {', '.join(UNITS)}, got {kind!r}")
        elif kind == "service" and service_ids is not None and ident not in service_ids:
            bad("id", f"unknown service {ident!r}")
        elif kind != "service" and hub_ids is not None and ident not in hub_ids:
            bad("id", f"unknown hub {ident!r}")
        if kind == "border" and mode not in ("rail", "road"):
            bad("mode", f"a border capacity is for rail or road, got {mode!r}")
        unit = rec.get("unit")
        if kind in UNITS and unit not in UNITS[str(kind)]:
            bad("unit", f"a {kind} capacity is in {', '.join(UNITS[str(kind)])}, got {unit!r}")
        nums: dict[str, float | None] = {}
        for fld in ("capacity", "teu_per_unit", "background"):
            x, why = _bad_volume(rec.get(fld))
            if why:
                bad(fld, why)
            nums[fld] = x
        if nums["capacity"] is None and not any(p.field == "capacity" for p in problems[n_before:]):
            bad("capacity", "is required")
        elif nums["capacity"] is not None and nums["capacity"] <= 0:
            bad("capacity", f"must be > 0, got {nums['capacity']:g}")
        teu_unit = unit in ("teu_per_departure", "teu_per_year")
        if not teu_unit and (nums["teu_per_unit"] is None or nums["teu_per_unit"] <= 0):
            bad("teu_per_unit", f"must be > 0 for a capacity in {unit}")
        if not isinstance(rec.get("source"), str) or not str(rec.get("source")).strip():
            bad("source", "must say where the figure comes from")
        key = (str(kind), str(ident), mode)
        if key in seen:
            bad("id", "the same element twice")
        seen.add(key)
        if len(problems) > n_before:
            continue
        out.append({
            "element": kind, "id": ident, "mode": mode, "capacity": nums["capacity"],
            "unit": unit, "teu_per_unit": nums["teu_per_unit"] if not teu_unit else 1.0,
            "background": nums["background"], "source": rec["source"],
            "method": str(rec.get("method") or ""),
        })  # fmt: skip
    if problems:
        raise DataError(problems)
    return pd.DataFrame(out, columns=list(CAPACITY_COLUMNS))


@lru_cache(maxsize=1)
def _bundled_capacity() -> pd.DataFrame:
    from corridor.io import bundled_data_path

    return read_capacity(bundled_data_path("capacity.json"))


def load_capacity(source: str | os.PathLike[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """The capacity table: the bundled one (``data/capacity.json``, built from
    ``data/sources/capacity.csv``) or yours (checked as :func:`read_capacity`)."""
    return _bundled_capacity() if source is None else read_capacity(source)


@dataclass(frozen=True)
class _Elements:
    """The capacitated elements of a compiled graph (flows in TEU a week)."""

    kind: list[str]
    key: list[str]
    label: list[str]
    capacity: NDArray[np.float64]
    background: NDArray[np.float64]
    scale_hours: NDArray[np.float64]
    source: list[str]
    #: the hub each element is at (a service leg: where it starts)
    hub: list[str]
    #: (n_elements, n_arcs): 1 where an arc's flow loads the element
    incidence: csr_matrix
    alpha: float = ALPHA
    beta: float = BETA

    @property
    def size(self) -> int:
        return len(self.kind)


def _elements(
    g: CompiledGraph, table: pd.DataFrame, alpha: float = ALPHA, beta: float = BETA
) -> _Elements:
    from scipy.sparse import csr_matrix

    from corridor._compile import LINK, MODE_CODE, PORT, RIDE, TRANSFER, _static

    st = _static(g.net)
    travel = (g.kind == LINK) | (g.kind == RIDE)
    li = np.where(travel, g.link, 0)
    a_hub = np.asarray(st.a, dtype=np.int64)[li]
    b_hub = np.asarray(st.b, dtype=np.int64)[li]
    countries = np.asarray(st.hub_countries, dtype=object)
    crossing = travel & (countries[a_hub] != countries[b_hub])
    kinds: list[str] = []
    keys: list[str] = []
    labels: list[str] = []
    cap: list[float] = []
    back: list[float] = []
    scale: list[float] = []
    sources: list[str] = []
    at: list[str] = []
    rows_i: list[NDArray[np.int64]] = []
    covered: set[tuple[int, ...]] = set()
    services = list(g.service_ids)
    names = st.hub_names
    per_week = dict(zip(g.net._services.index, g.net._services["departures_per_week"], strict=True))

    def add(kind: str, key: str, label: str, arcs: NDArray[np.int64], c: float, b: float,
            t: float, source: str, hub: int) -> None:  # fmt: skip
        at.append(g.hub_ids[hub])
        kinds.append(kind)
        keys.append(key)
        labels.append(label)
        cap.append(c)
        back.append(b)
        scale.append(t)
        sources.append(source)
        rows_i.append(arcs)

    for rec in table.to_dict("records"):
        kind, ident, mode = rec["element"], rec["id"], rec["mode"]
        unit, per_unit = rec["unit"], float(rec["teu_per_unit"])
        b_raw = rec["background"]
        b_raw = 0.0 if b_raw is None or (isinstance(b_raw, float) and math.isnan(b_raw)) else b_raw
        if kind == "service":
            if ident not in services:
                continue  # closed by the scenario, or not running
            si = services.index(ident)
            dep = float(per_week[ident])
            c = float(rec["capacity"]) * dep
            headway = 168.0 / dep
            for a in np.flatnonzero((g.service == si) & (g.kind == RIDE)):
                leg = f"{names[g.state_hub[g.tail[a]]]} → {names[g.hub[a]]}"
                add("service", ident, f"{ident} ({leg})", np.array([a]), c,
                    float(b_raw) * dep, headway, str(rec["source"]),
                    int(g.state_hub[g.tail[a]]))  # fmt: skip
            continue
        if ident not in g.hub_index:
            continue
        h = g.hub_index[ident]
        weeks = UNITS[kind][unit]
        assert weeks is not None
        c = float(rec["capacity"]) * per_unit / weeks
        b = float(b_raw) * per_unit / weeks
        if kind == "border":
            arcs = np.flatnonzero(
                crossing & (g.arc_mode == MODE_CODE[mode]) & ((a_hub == h) | (b_hub == h))
            )
            label = f"{names[h]} border ({mode})"
        elif kind == "port":
            sea = g.state_mode == MODE_CODE["sea"]
            tail_sea = np.where(g.tail < g.n_states, sea[np.minimum(g.tail, g.n_states - 1)], False)
            head = g.indices
            head_sea = np.where(head < g.n_states, sea[np.minimum(head, g.n_states - 1)], False)
            arcs = np.flatnonzero(
                (g.hub == h) & ((g.kind == PORT) | ((g.kind == TRANSFER) & (tail_sea | head_sea)))
            )
            label = names[h] if "port" in names[h].lower() else f"{names[h]} port"
        else:  # lock: the river arcs entering the lock hub
            arcs = np.flatnonzero(
                travel & (g.hub == h) & (g.arc_mode == MODE_CODE["inland_waterway"])
            )
            label = names[h] if "lock" in names[h].lower() else f"{names[h]} lock"
        sig = tuple(arcs.tolist())
        if not arcs.size or sig in covered:
            continue  # nothing crosses it, or another row already holds the same arcs
        covered.add(sig)
        add(kind, ident if kind != "border" else f"{ident}/{mode}", label, arcs, c, b, 24.0,
            str(rec["source"]), h)  # fmt: skip
    m = g.indices.size
    n = len(kinds)
    if n:
        lens = [r.size for r in rows_i]
        inc = csr_matrix(
            (np.ones(sum(lens)), (np.repeat(np.arange(n), lens), np.concatenate(rows_i))),
            shape=(n, m),
        )
    else:
        inc = csr_matrix((0, m))
    return _Elements(
        kinds,
        keys,
        labels,
        np.asarray(cap),
        np.asarray(back),
        np.asarray(scale),
        sources,
        at,
        inc,
        alpha,
        beta,
    )


def _delay(e: _Elements, v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hours each element adds to a box at flows ``v`` (TEU a week)."""
    c, b, p = e.capacity, e.background, e.beta
    out: NDArray[np.float64] = e.scale_hours * e.alpha * (((v + b) / c) ** p - (b / c) ** p)
    return out


def _delay_slope(e: _Elements, v: NDArray[np.float64]) -> NDArray[np.float64]:
    c, b, p = e.capacity, e.background, e.beta
    out: NDArray[np.float64] = e.scale_hours * e.alpha * p * (v + b) ** (p - 1) / c**p
    return out


def _delay_integral(e: _Elements, v: NDArray[np.float64]) -> NDArray[np.float64]:
    c, b, p = e.capacity, e.background, e.beta
    out: NDArray[np.float64] = (
        e.scale_hours
        * e.alpha
        * (((v + b) ** (p + 1) - b ** (p + 1)) / ((p + 1) * c**p) - (b / c) ** p * v)
    )
    return out


# -------------------------------------------------------------------------- assignment


@dataclass
class _Class:
    """One cargo class: its demand pairs and its free-flow arc costs (hours-equivalent)."""

    segment: str
    costs: CostModel
    c0: NDArray[np.float64]
    sources: NDArray[np.int64]
    first: NDArray[np.int64]
    targets: NDArray[np.int64]
    pairs: list[tuple[str, str]]
    #: TEU a week per pair (grouped by source, as ``targets``)
    volume: NDArray[np.float64]


def _classes(g: CompiledGraph, demand: Demand, base: CostModel) -> list[_Class]:
    out = []
    for seg, rows in demand.table.groupby("segment", sort=True):
        cm = base.for_segment(str(seg)) if seg else base
        vot = cm.value_of_time_usd_per_hour
        usd, hours, co2 = g.criteria[0], g.criteria[1], g.criteria[3]
        c0 = usd / vot + hours + cm.carbon_price_usd_per_t * co2 / 1000.0 / vot
        rows = rows[rows["teu_per_year"] > 0].sort_values(["origin", "destination"])
        if rows.empty:
            continue
        origins = list(dict.fromkeys(rows["origin"]))
        src = np.array([g.source(g.hub_index[o]) for o in origins], dtype=np.int64)
        counts = rows.groupby("origin", sort=False).size().reindex(origins).to_numpy()
        first = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        tgt = np.array([g.sink(g.hub_index[d]) for d in rows["destination"]], dtype=np.int64)
        out.append(_Class(
            str(seg), cm, c0, src, first, tgt,
            list(zip(rows["origin"], rows["destination"], strict=True)),
            rows["teu_per_year"].to_numpy(dtype=float) / WEEKS_PER_YEAR,
        ))  # fmt: skip
    return out


_AON = tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]


def _aon(g: CompiledGraph, cls: _Class, w: NDArray[np.float64]) -> _AON:
    """All-or-nothing: arc flows, the paths (padded rows), their lengths and costs."""
    from corridor import _kernels

    n = cls.targets.size
    paths = np.full((n, MAX_PATH_ARCS), -1, dtype=np.int32)
    lengths = np.zeros(n, dtype=np.int32)
    costs = np.zeros(n)
    _kernels.od_paths(
        g.indptr, g.indices, g.tail, w, cls.sources, cls.first, cls.targets, paths, lengths,
        costs,
    )  # fmt: skip
    bad = np.flatnonzero(lengths < 0)
    if bad.size:
        o, d = cls.pairs[int(bad[0])]
        why = "no route" if lengths[bad[0]] == -1 else f"a path of over {MAX_PATH_ARCS} arcs"
        raise NoRouteError(
            f"demand {o!r} → {d!r}{' (' + cls.segment + ')' if cls.segment else ''}: {why}"
            + (f" (and {bad.size - 1} more pairs)" if bad.size > 1 else "")
        )
    mask = np.arange(MAX_PATH_ARCS)[None, :] < lengths[:, None]
    flows: NDArray[np.float64] = np.bincount(
        paths[mask], weights=np.repeat(cls.volume, lengths), minlength=g.indices.size
    ).astype(np.float64)
    return flows, paths, lengths, costs


@dataclass
class _Paths:
    """The paths all-or-nothing loadings used, per class: an id per distinct path, and per
    loading the path id of each pair (so a state is a weight per loading)."""

    ids: list[dict[bytes, int]]
    loads: list[list[NDArray[np.int64]]]


@dataclass
class _State:
    """Arc flows per class, and the weight of each all-or-nothing loading in them."""

    x: list[NDArray[np.float64]]
    coef: NDArray[np.float64]


def _combine(a: _State, b: _State, lam: float) -> _State:
    """``(1 - lam) a + lam b``."""
    x = [(1 - lam) * xa + lam * xb for xa, xb in zip(a.x, b.x, strict=True)]
    n = max(a.coef.size, b.coef.size)
    ca = np.pad(a.coef, (0, n - a.coef.size))
    cb = np.pad(b.coef, (0, n - b.coef.size))
    return _State(x, (1 - lam) * ca + lam * cb)


def _all_or_nothing(
    g: CompiledGraph, classes: Sequence[_Class], arc_delay: NDArray[np.float64], paths: _Paths
) -> tuple[_State, float]:
    """The AON state at the given delays (its paths recorded in ``paths``), and the total
    of shortest-path costs."""
    xs, total = [], 0.0
    for k, c in enumerate(classes):
        flows, p, lengths, costs = _aon(g, c, c.c0 + arc_delay)
        xs.append(flows)
        ids = paths.ids[k]
        load = np.empty(lengths.size, dtype=np.int64)
        for i in range(lengths.size):
            key = p[i, : lengths[i]].tobytes()
            load[i] = ids.setdefault(key, len(ids))
        paths.loads[k].append(load)
        total += float(costs @ c.volume)
    coef = np.zeros(len(paths.loads[0]) if paths.loads else 0)
    if coef.size:
        coef[-1] = 1.0
    return _State(xs, coef), total


def _resolve(
    classes: Sequence[_Class], paths: _Paths, coef: NDArray[np.float64]
) -> list[list[dict[bytes, float]]]:
    """TEU a week on each path of each pair, per class, from the loadings' weights."""
    out = []
    for k, c in enumerate(classes):
        keys = list(paths.ids[k])
        used = [j for j in range(coef.size) if coef[j] > 1e-15]
        n_pairs = c.volume.size
        pair = np.tile(np.arange(n_pairs), len(used))
        path = np.concatenate([paths.loads[k][j] for j in used]) if used else np.zeros(0, int)
        teu = np.concatenate([coef[j] * c.volume for j in used]) if used else np.zeros(0)
        code = pair * len(keys) + path
        flows = np.bincount(code, weights=teu, minlength=n_pairs * max(len(keys), 1))
        cls_paths: list[dict[bytes, float]] = [{} for _ in range(n_pairs)]
        for cd in np.flatnonzero(flows > 1e-12):
            cls_paths[cd // len(keys)][keys[cd % len(keys)]] = float(flows[cd])
        out.append(cls_paths)
    return out


def _line_search(
    e: _Elements,
    classes: Sequence[_Class],
    x: _State,
    target: _State,
) -> float:
    """The step in [0, 1] from ``x`` towards ``target`` that minimises the potential."""
    v = e.incidence @ sum(x.x) if e.size else np.zeros(0)
    dv = (e.incidence @ sum(target.x) - v) if e.size else np.zeros(0)
    fixed = sum(float(c.c0 @ (t - xx)) for c, t, xx in zip(classes, target.x, x.x, strict=True))

    def slope(lam: float) -> float:
        return fixed + float(_delay(e, v + lam * dv) @ dv) if e.size else fixed

    if slope(0.0) >= 0.0:
        return 0.0
    if slope(1.0) <= 0.0:
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if slope(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _potential(e: _Elements, classes: Sequence[_Class], x: _State) -> float:
    fixed = sum(float(c.c0 @ xx) for c, xx in zip(classes, x.x, strict=True))
    if not e.size:
        return fixed
    return fixed + float(_delay_integral(e, e.incidence @ sum(x.x)).sum())


def _mix(states: Sequence[_State], weights: Sequence[float]) -> _State:
    """``sum(w * s)`` of states whose weights sum to 1."""
    out = states[0]
    acc = weights[0]
    for st, w in zip(states[1:], weights[1:], strict=True):
        if w <= 0.0:
            continue
        acc += w
        out = _combine(out, st, w / acc)
    return out


def _ue(
    g: CompiledGraph,
    e: _Elements,
    classes: Sequence[_Class],
    max_iter: int,
    gap: float,
    conjugate: bool,
) -> tuple[_State, list[list[dict[bytes, float]]], list[float], list[float], bool]:
    """User equilibrium by the bi-conjugate Frank–Wolfe method (Mitradjieva & Lindberg
    2013): each target is the all-or-nothing point combined with the two previous targets
    so that the search direction is conjugate to the two previous ones (w.r.t. the Hessian of
    the potential at the current flows); the conjugate (one previous target) or plain
    Frank–Wolfe step where the combination is not defined. ``conjugate=False``: plain
    Frank–Wolfe."""
    zero = np.zeros(g.indices.size)
    paths = _Paths([{} for _ in classes], [[] for _ in classes])
    x, _ = _all_or_nothing(g, classes, zero, paths)
    gaps: list[float] = []
    objective: list[float] = [_potential(e, classes, x)]
    if not e.size:  # nothing is capacitated: all-or-nothing is the equilibrium
        return x, _resolve(classes, paths, x.coef), [0.0], objective, True
    prev: list[_State] = []  # the last two targets, newest first
    tau = 0.0  # the last step size
    for _ in range(max_iter):
        v = e.incidence @ sum(x.x)
        arc_delay = e.incidence.T @ _delay(e, v)
        y, shortest = _all_or_nothing(g, classes, arc_delay, paths)
        current = sum(float((c.c0 + arc_delay) @ xx) for c, xx in zip(classes, x.x, strict=True))
        rel = (current - shortest) / current if current > 0 else 0.0
        gaps.append(max(rel, 0.0))
        if rel <= gap:
            return x, _resolve(classes, paths, x.coef), gaps, objective, True
        target = y
        if conjugate and prev:
            h = _delay_slope(e, v)
            yv = e.incidence @ sum(y.x)
            s1 = e.incidence @ sum(prev[0].x)
            weights = None
            if len(prev) == 2 and 0.0 < tau < 1.0:
                s2 = e.incidence @ sum(prev[1].x)
                d1 = s1 - v
                d2 = tau * s1 - v + (1.0 - tau) * s2
                den_mu = float(h @ (d2 * (s2 - s1)))
                den_nu = float(h @ (d1 * d1))
                if den_mu != 0.0 and den_nu != 0.0:
                    mu = max(0.0, -float(h @ (d2 * (yv - v))) / den_mu)
                    nu = max(0.0, -float(h @ (d1 * (yv - v))) / den_nu + mu * tau / (1.0 - tau))
                    b0 = 1.0 / (1.0 + mu + nu)
                    weights = (b0, nu * b0, mu * b0)
            if weights is not None:
                target = _mix([y, prev[0], prev[1]], weights)
            else:  # conjugate to the last direction only
                num = float(h @ ((s1 - v) * (yv - v)))
                den = float(h @ ((s1 - v) * (yv - s1)))
                alpha = min(max(num / den if den != 0.0 else 0.0, 0.0), 0.99)
                target = _combine(y, prev[0], alpha) if alpha > 0 else y
        tau = _line_search(e, classes, x, target)
        prev = [target, *prev[:1]]
        x = _combine(x, target, tau)
        objective.append(_potential(e, classes, x))
    return x, _resolve(classes, paths, x.coef), gaps, objective, False


def _sue(
    net: Network,
    g: CompiledGraph,
    e: _Elements,
    classes: Sequence[_Class],
    scenario: Scenario | None,
    max_iter: int,
    gap: float,
) -> tuple[_State, list[list[dict[bytes, float]]], list[float], list[float], bool]:
    """Stochastic user equilibrium over the logit of :func:`corridor.market_shares`: its
    scale and constants, each corridor's best route at free flow as the choice set (the
    best route alone where no corridor serves a pair). Successive averages of the logit
    loadings, the step chosen by a line search on Fisk's objective (Chen & Alfa 1991; an
    exact minimisation along the averaging direction), falling back to 1/n."""
    from scipy.sparse import csr_matrix

    from corridor.shares import (
        DEFAULT_CONSTANTS,
        DEFAULT_SCALE,
        SHARE_SAMPLES,
        SHARE_SEED,
        _alternatives,
        _constant,
    )
    from corridor.tradeoffs import alternatives

    m = g.indices.size
    base = g.costs
    alt_cache: dict[tuple[str, str], Any] = {}
    per_class = []  # (path-arc incidence, extra cost, pair of each path, keys, theta)
    for c in classes:
        arcs_l: list[NDArray[np.int64]] = []
        extra: list[float] = []
        pair_of: list[int] = []
        for k, pair in enumerate(c.pairs):
            if pair not in alt_cache:
                try:
                    alt_cache[pair] = _alternatives(
                        net, pair[0], pair[1], base, scenario, SHARE_SAMPLES, SHARE_SEED
                    )
                except NoRouteError:  # no corridor serves it: distinct good routes instead
                    alt_cache[pair] = alternatives(
                        net, pair[0], pair[1], n=SUE_FALLBACK_ROUTES, max_overlap=0.8,
                        costs=base, scenario=scenario,
                    )  # fmt: skip
            vot = c.costs.value_of_time_usd_per_hour
            for a in alt_cache[pair]:
                if hasattr(a, "buffer_hours"):
                    arcs_l.append(np.asarray(a.route._arcs, dtype=np.int64))
                    usd = c.costs.value_of_reliability_usd_per_hour * a.buffer_hours
                    extra.append((usd + _constant(a, DEFAULT_CONSTANTS)) / vot)
                else:
                    arcs_l.append(np.asarray(a._arcs, dtype=np.int64))
                    extra.append(0.0)
                pair_of.append(k)
        lens = [x.size for x in arcs_l]
        inc = csr_matrix(
            (np.ones(sum(lens)), (np.repeat(np.arange(len(arcs_l)), lens), np.concatenate(arcs_l))),
            shape=(len(arcs_l), m),
        )
        keys = [x.astype(np.int32).tobytes() for x in arcs_l]
        theta = DEFAULT_SCALE / c.costs.value_of_time_usd_per_hour
        per_class.append((inc, np.asarray(extra), np.asarray(pair_of), keys, theta))

    def logit(arc_delay: NDArray[np.float64]) -> list[NDArray[np.float64]]:
        out = []
        for c, (inc, extra, pair_of, _, theta) in zip(classes, per_class, strict=True):
            cost = inc @ (c.c0 + arc_delay) + extra
            least = np.full(len(c.pairs), np.inf)
            np.minimum.at(least, pair_of, cost)
            w = np.exp(-(cost - least[pair_of]) / theta)
            tot = np.bincount(pair_of, weights=w, minlength=len(c.pairs))
            out.append(c.volume[pair_of] * w / tot[pair_of])
        return out

    def arcs_of(f: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        return sum((pc[0].T @ ff for pc, ff in zip(per_class, f, strict=True)), np.zeros(m))

    def delays(f: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        if not e.size:
            return np.zeros(m)
        out: NDArray[np.float64] = e.incidence.T @ _delay(e, e.incidence @ arcs_of(f))
        return out

    def slope(f: list[NDArray[np.float64]], d: list[NDArray[np.float64]], lam: float) -> float:
        fl = [ff + lam * dd for ff, dd in zip(f, d, strict=True)]
        ad = delays(fl)
        total = 0.0
        for c, (inc, extra, _, _, theta), ff, dd in zip(classes, per_class, fl, d, strict=True):
            cost = inc @ (c.c0 + ad) + extra + theta * np.log(np.maximum(ff, 1e-300))
            total += float(cost @ dd)
        return total

    f = logit(np.zeros(m))
    gaps: list[float] = []
    objective: list[float] = []
    ok = False
    for n in range(1, max_iter + 1):
        y = logit(delays(f))
        step = [yy - ff for yy, ff in zip(y, f, strict=True)]
        total = sum(float(ff.sum()) for ff in f)
        rel = sum(float(np.abs(dd).sum()) for dd in step) / total if total > 0 else 0.0
        gaps.append(rel)
        arc_x = [pc[0].T @ ff for pc, ff in zip(per_class, f, strict=True)]
        objective.append(_potential(e, classes, _State(arc_x, np.ones(1))))
        if rel <= gap:
            ok = True
            break
        lam = 1.0 / n
        if slope(f, step, 0.0) < 0.0:
            if slope(f, step, 1.0) <= 0.0:
                lam = 1.0
            else:
                low, high = 0.0, 1.0
                for _ in range(50):
                    mid = 0.5 * (low + high)
                    if slope(f, step, mid) < 0.0:
                        low = mid
                    else:
                        high = mid
                lam = max(0.5 * (low + high), 1e-6)
        f = [ff + lam * dd for ff, dd in zip(f, step, strict=True)]
    xs = [pc[0].T @ ff for pc, ff in zip(per_class, f, strict=True)]
    paths = []
    for c, (_, _, owner, keys, _), ff in zip(classes, per_class, f, strict=True):
        cls_paths: list[dict[bytes, float]] = [{} for _ in c.pairs]
        for k, key, v in zip(owner, keys, ff, strict=True):
            if v > 1e-12:
                cls_paths[k][key] = cls_paths[k].get(key, 0.0) + float(v)
        paths.append(cls_paths)
    return _State(xs, np.ones(1)), paths, gaps, objective, ok


@dataclass(frozen=True, eq=False)
class Assignment:
    """The result of :func:`assign`: flows, what saturates, and how the search went.

    Attributes
    ----------
    method : str
    converged : bool
        Whether the relative gap reached ``gap`` within ``max_iter`` iterations.
    gaps : list of float
        The relative gap at each iteration (UE: (total cost - total shortest-path cost) /
        total cost; SUE: the relative change of the flows; AON: none).
    objective : list of float
        The Beckmann potential after each step (hours-equivalent TEU a week; UE only
        decreases).
    demand : Demand
    scenario : Scenario or None
    """

    method: str
    converged: bool
    gaps: list[float]
    objective: list[float]
    demand: Demand
    scenario: Scenario | None
    _graph: CompiledGraph = field(repr=False)
    _elements: _Elements = field(repr=False)
    _classes: list[_Class] = field(repr=False)
    _state: _State = field(repr=False)
    #: TEU a week on each path, per class and pair
    _paths: list[list[dict[bytes, float]]] = field(repr=False)

    @property
    def iterations(self) -> int:
        return len(self.gaps)

    @property
    def total_cost(self) -> float:
        """What all the boxes pay a week, in hours-equivalent (USD / the class's value of
        time + hours, congestion delays included) x TEU a week."""
        e = self._elements
        delay = e.incidence.T @ _delay(e, e.incidence @ self.arc_flows) if e.size else 0.0
        return float(
            sum((c.c0 + delay) @ x for c, x in zip(self._classes, self._state.x, strict=True))
        )

    @property
    def arc_flows(self) -> NDArray[np.float64]:
        """TEU a week on every arc of the compiled graph (all classes)."""
        out: NDArray[np.float64] = np.sum(self._state.x, axis=0)
        return out

    def elements(self) -> pd.DataFrame:
        """Every capacitated element: kind, what, capacity and background (TEU a week),
        assigned flow, utilisation ((flow + background) / capacity), the delay the assigned
        flow adds (hours a box), and the capacity's source."""
        e = self._elements
        v = e.incidence @ self.arc_flows if e.size else np.zeros(0)
        df = pd.DataFrame({
            "kind": e.kind, "element": e.key, "what": e.label, "hub": e.hub,
            "capacity_teu_per_week": e.capacity, "background_teu_per_week": e.background,
            "flow_teu_per_week": v, "utilisation": (v + e.background) / e.capacity,
            "delay_hours": _delay(e, v) if e.size else v, "source": e.source,
        })  # fmt: skip
        return df

    def bottlenecks(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most utilised elements carrying assigned flow (a service counts its
        busiest leg), most utilised first; ties by delay.

        Examples
        --------
        >>> import corridor as cr
        >>> a = cr.assign(cr.load_network(), cr.load_demand(), method="aon")
        >>> b = a.bottlenecks(3)
        >>> bool(b["utilisation"].is_monotonic_decreasing)
        True
        """
        n = check_int("n", n, ge=1, le=100_000)
        df = self.elements()
        df = df[df["flow_teu_per_week"] > 1e-9]
        busiest = df.sort_values(["utilisation", "delay_hours"], ascending=False)
        busiest = busiest.drop_duplicates(["kind", "element"])
        return busiest.head(n).reset_index(drop=True)

    def link_flows(self) -> pd.DataFrame:
        """TEU a week and a year on each link and direction used (rides and runs)."""
        from corridor._compile import LINK, RIDE, _static

        g = self._graph
        st = _static(g.net)
        x = self.arc_flows
        sel = ((g.kind == LINK) | (g.kind == RIDE)) & (x > 1e-9)
        raw = pd.DataFrame({
            "link": [g.link_ids[i] for i in g.link[sel]], "forward": g.forward[sel],
            "teu_per_week": x[sel],
        })  # fmt: skip
        df = raw.groupby(["link", "forward"], as_index=False).agg(
            teu_per_week=("teu_per_week", "sum")
        )
        edges = g.net._edges
        df["from"] = np.where(
            df["forward"], edges.loc[df["link"], "from"], edges.loc[df["link"], "to"]
        )
        df["to"] = np.where(
            df["forward"], edges.loc[df["link"], "to"], edges.loc[df["link"], "from"]
        )
        df["mode"] = edges.loc[df["link"], "mode"].to_numpy()
        df["line"] = [st.line_names[st.link_index[k]] for k in df["link"]]
        df["teu_per_year"] = df["teu_per_week"] * WEEKS_PER_YEAR
        return df.sort_values("teu_per_week", ascending=False).reset_index(drop=True)[
            ["link", "from", "to", "mode", "line", "teu_per_week", "teu_per_year"]
        ]

    def flows_frame(self) -> gpd.GeoDataFrame:
        """:meth:`link_flows` with each link's geometry (EPSG:4326), for maps and files."""
        import geopandas as gpd

        df = self.link_flows()
        geom = self._graph.net._edges.loc[df["link"], "geometry"].to_numpy()
        return gpd.GeoDataFrame(df, geometry=list(geom), crs="EPSG:4326")

    def _path_table(self) -> pd.DataFrame:
        """Every path with flow: its pair, segment, corridor and TEU a year."""
        from corridor.compare import _steps, modes_mask
        from corridor.corridors import load_corridors

        g = self._graph
        oriented = []
        for c in load_corridors():
            for way in (c, c.reversed()):
                steps = _steps(g, way)
                if not isinstance(steps, int) and steps:
                    oriented.append((c.id, modes_mask(g, c.modes), steps))
        rows = []
        for cls, cls_paths in zip(self._classes, self._paths, strict=True):
            for (o, d), paths in zip(cls.pairs, cls_paths, strict=True):
                for key, teu in paths.items():
                    arcs = np.frombuffer(key, dtype=np.int32)
                    label = "other"
                    for ident, allowed, steps in oriented:
                        if allowed[arcs].all() and all(np.isin(arcs, st).any() for st in steps):
                            label = ident
                            break
                    rows.append((o, d, cls.segment, label, teu * WEEKS_PER_YEAR))
        return pd.DataFrame(
            rows, columns=["origin", "destination", "segment", "corridor", "teu_per_year"]
        )

    def corridor_flows(self, by_segment: bool = False) -> pd.DataFrame:
        """TEU a year by corridor (the corridor whose gateways the route passes; ``other``
        for routes no corridor describes, such as domestic ones), with each corridor's share,
        largest first; with ``by_segment`` one column per segment.

        Examples
        --------
        >>> import corridor as cr
        >>> a = cr.assign(cr.load_network(), cr.load_demand(), method="aon")
        >>> f = a.corridor_flows()
        >>> round(float(f["teu_per_year"].sum())) == round(a.demand.total_teu_per_year)
        True
        """
        t = self._path_table()
        if by_segment:
            out = t.pivot_table(
                index="corridor", columns="segment", values="teu_per_year", aggfunc="sum",
                fill_value=0.0,
            )  # fmt: skip
            out.columns = [c or "mixed" for c in out.columns]
            out["total"] = out.sum(axis=1)
            return out.sort_values("total", ascending=False)
        out = t.groupby("corridor")["teu_per_year"].sum().sort_values(ascending=False).to_frame()
        out["share"] = out["teu_per_year"] / out["teu_per_year"].sum()
        return out

    def shift(self, other: Assignment) -> pd.DataFrame:
        """TEU a year by corridor here and in ``other`` (e.g. a scenario's assignment of the
        same demand), and the change."""
        if not isinstance(other, Assignment):
            raise DataError(f"other must be an Assignment, got {type(other).__name__}")
        a = self.corridor_flows()["teu_per_year"].rename("teu_per_year")
        b = other.corridor_flows()["teu_per_year"].rename("teu_per_year_other")
        df = pd.concat([a, b], axis=1).fillna(0.0)
        df["change"] = df["teu_per_year_other"] - df["teu_per_year"]
        return df.sort_values("change", key=np.abs, ascending=False)


def assign(
    net: Network,
    demand: Demand | pd.DataFrame | str | os.PathLike[str],
    *,
    method: str = "ue",
    segments: Iterable[str] | None = None,
    scenario: Scenario | None = None,
    costs: CostModel | None = None,
    capacity: pd.DataFrame | str | os.PathLike[str] | None = None,
    max_iter: int = 200,
    gap: float = 1e-4,
    alpha: float = ALPHA,
    beta: float = BETA,
) -> Assignment:
    """Assign container demand to the network under capacity.

    Parameters
    ----------
    net : Network
    demand : Demand, DataFrame or path
        See :meth:`Demand.read`.
    method : {"ue", "sue", "aon"}
        User equilibrium (bi-conjugate Frank–Wolfe), stochastic user equilibrium (MSA over
        the market-share logit), or all-or-nothing.
    segments : iterable of str, optional
        Only the demand of these segments ("" for mixed cargo); all by default.
    scenario : Scenario, optional
        Closures, openings and costs, as :func:`corridor.route`.
    costs : CostModel, optional
        The cost model of mixed cargo, and the base of each segment's.
    capacity : DataFrame or path, optional
        The capacity table (:func:`read_capacity`); the bundled one by default.
    max_iter : int
        Most iterations (1 to 10,000).
    gap : float
        Target relative gap, > 0 (UE: (total cost - total shortest-path cost) / total cost;
        SUE: relative change of the flows).
    alpha, beta : float
        The delay curve (module notes): BPR's 0.15 and 4 by default; ``beta=1`` is linear.

    Returns
    -------
    Assignment

    Examples
    --------
    >>> import corridor as cr
    >>> a = cr.assign(cr.load_network(), cr.load_demand())
    >>> a.converged, a.gaps[-1] <= 1e-4
    (True, True)
    """
    from corridor._compile import compiled
    from corridor.routing import _effective_costs

    check_network(net)
    if method not in METHODS:
        raise DataError(f"method must be one of {', '.join(METHODS)}, got {shown(method)}")
    max_iter = check_int("max_iter", max_iter, ge=1, le=10_000)
    gap = check_number("gap", gap, gt=0.0, le=1.0)
    alpha = check_number("alpha", alpha, gt=0.0, le=1e3)
    beta = check_number("beta", beta, ge=1.0, le=16.0)
    d = demand if isinstance(demand, Demand) else Demand.read(demand, net)
    if isinstance(demand, Demand):
        d = Demand.read(demand.table, net)
    if segments is not None:
        chosen = set(check_names("segments", segments))
        known = set(d.table["segment"])
        unknown = chosen - known
        if unknown:
            raise DataError(f"segments: no demand for {', '.join(sorted(unknown))}")
        d = Demand(d.table[d.table["segment"].isin(chosen)].reset_index(drop=True))
    cm = _effective_costs(costs, scenario)
    g = compiled(net, cm, scenario)
    cap = load_capacity() if capacity is None else read_capacity(capacity, net)
    if capacity is None:
        cap = cap[cap["id"].isin(set(net._services.index) | set(net._nodes.index))]
    e = _elements(g, cap, alpha, beta)
    for o, dd in zip(d.table["origin"], d.table["destination"], strict=True):
        if scenario is not None and (o in g.closure.hubs or dd in g.closure.hubs):
            raise NoRouteError(
                f"scenario {scenario.name!r} closes {o if o in g.closure.hubs else dd!r}"
            )
    classes = _classes(g, d, cm)
    if method == "aon":
        paths = _Paths([{} for _ in classes], [[] for _ in classes])
        x, _ = _all_or_nothing(g, classes, np.zeros(g.indices.size), paths)
        gaps: list[float] = []
        objective, ok = [_potential(e, classes, x)], True
        path_flows = _resolve(classes, paths, x.coef)
    elif method == "ue":
        x, path_flows, gaps, objective, ok = _ue(g, e, classes, max_iter, gap, conjugate=True)
    else:
        x, path_flows, gaps, objective, ok = _sue(net, g, e, classes, scenario, max_iter, gap)
    return Assignment(method, ok, gaps, objective, d, scenario, g, e, classes, x, path_flows)


def _assign_task(
    net: Network, demand: Demand, scenario: Scenario | None, kwargs: Mapping[str, Any]
) -> pd.DataFrame:
    try:
        a = assign(net, demand, scenario=scenario, **kwargs)
    except (DataError, NoRouteError) as exc:
        name = scenario.name if scenario is not None else "baseline"
        return pd.DataFrame({
            "scenario": [name], "corridor": [""], "teu_per_year": [math.nan],
            "share": [math.nan], "converged": [False], "error": [str(exc)],
        })  # fmt: skip
    f = a.corridor_flows().reset_index()
    f.insert(0, "scenario", scenario.name if scenario is not None else "baseline")
    f["converged"] = a.converged
    f["error"] = ""
    return f


def assign_scenarios(
    net: Network,
    demand: Demand | pd.DataFrame | str | os.PathLike[str],
    scenarios: Iterable[Scenario],
    *,
    client: Any = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """One assignment per scenario (and the baseline first): corridor flows in one frame.

    Locally the assignments run one after another; with a ``dask.distributed.Client`` each
    is one task (the network and demand travel as tasks Dask can recompute, so losing a
    worker loses no result). A scenario that fails has one row saying why (``error``).

    Examples
    --------
    >>> import corridor as cr
    >>> df = assign_scenarios(cr.load_network(), cr.load_demand(), [cr.presets()["suez_closed"]],
    ...                       method="aon")
    >>> sorted(set(df["scenario"]))
    ['Suez Canal closed', 'baseline']
    """
    from corridor.scenario import Scenario as _Scenario

    check_network(net)
    d = demand if isinstance(demand, Demand) else Demand.read(demand, net)
    scns: list[Scenario | None] = [None]
    for i, s in enumerate(list(scenarios)):
        if not isinstance(s, _Scenario):
            raise DataError(f"scenarios[{i}] must be a Scenario, got {shown(s)}")
        scns.append(s)
    bad = set(kwargs) - {
        "method", "segments", "costs", "capacity", "max_iter", "gap", "alpha", "beta",
    }  # fmt: skip
    if bad:
        raise DataError(f"unknown assign() arguments: {', '.join(sorted(bad))}")
    if client is None:
        frames = [_assign_task(net, d, s, kwargs) for s in scns]
    else:
        net_f = client.submit(lambda x: x, net, pure=False)
        dem_f = client.submit(lambda x: x, d, pure=False)
        futures = [client.submit(_assign_task, net_f, dem_f, s, dict(kwargs), pure=False)
                   for s in scns]  # fmt: skip
        frames = client.gather(futures)
    return pd.concat(frames, ignore_index=True)
