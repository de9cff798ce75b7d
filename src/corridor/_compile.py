"""Compile a Network, a CostModel and a Scenario into a state-expanded CSR graph.

States:

- a *hub state* per hub and mode it serves (rail once per gauge): where a box stands;
- an *unscheduled state* per hub and scheduled mode (rail, sea, river, air): on a vehicle
  that runs on links no listed service covers, at the cost model's default frequency;
- a *service state* per service, direction and hub it passes: on board that service.

Arcs, one small builder each: ``link`` (road between hub states; other modes between
unscheduled states), ``ride`` (a service over one link), ``board`` (hub state onto a
service or unscheduled vehicle: the wait for a departure, half the headway by default),
``alight``, ``transfer`` (change of mode: handling and dwell), ``gauge`` (change of rail
gauge) and ``attach`` (from a hub's virtual *source* to its hub states, and from them to its
virtual *sink*, so a query starts or ends in any mode). Crossing costs (borders, locks,
canals) ride on the travel arcs that enter the hub. Arrays only from here on down: the
kernels never see a name.
"""

from __future__ import annotations

import itertools
import math
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numba
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor import _kernels
from corridor._config import FLOAT, INDEX
from corridor._errors import DataError, NodeNotFound, Problem
from corridor._names import normalize
from corridor._schema import EDGE_NUMBERS, MODES
from corridor.costs import CRITERIA, SEA_SPOT_BASE_USD_PER_TEU, CostModel, driving_rules_for
from corridor.network import Network
from corridor.scenario import Scenario
from corridor.services import SERVICE_MODES
from corridor.tables import PORT_NUMBERS, customs_area, read_rows

LINK, TRANSFER, GAUGE, ATTACH, BOARD, RIDE, ALIGHT, PORT = 0, 1, 2, 3, 4, 5, 6, 7
KIND_NAMES = ("link", "transfer", "gauge_change", "attach", "wait", "ride", "alight", "port")
#: arc kinds that move a box over a link
TRAVEL = (LINK, RIDE)
#: state roles
HUB, UNSCHEDULED, ON_SERVICE, DISCHARGED, ROAD_CLOCK, IN_TRANSIT = 0, 1, 2, 3, 4, 5
#: hours a truck's driving clock counts in (:func:`_road_arcs`)
TRUCK_CLOCK_STEP = 0.5
#: the repeating period of timetables, hours (a week)
WEEK_HOURS = 168.0
#: unmasked hub-to-hub queries a compiled graph answers by search before it builds the
#: shortest-path trees of every hub (:meth:`CompiledGraph.hub_trees`)
TREES_AFTER = 32
MODE_CODE = {m: i for i, m in enumerate(MODES)}
_WATER = {MODE_CODE["sea"], MODE_CODE["inland_waterway"]}
_SEA = MODE_CODE["sea"]


def csr_indptr(tail: NDArray[np.integer[Any]], n: int) -> NDArray[np.int32]:
    """CSR row pointers of ``n`` nodes for arcs sorted by ``tail``."""
    out: NDArray[np.int32] = np.concatenate(
        [[0], np.cumsum(np.bincount(tail, minlength=n))]
    ).astype(INDEX)
    return out


def _num(value: Any) -> float | None:
    """A data value as float, or None when missing."""
    if value is None:
        return None
    x = float(value)
    return None if math.isnan(x) else x


@dataclass(frozen=True, slots=True)
class Closure:
    """What a scenario takes out and puts in, resolved to ids."""

    hubs: frozenset[str]
    links: frozenset[str]
    opened: frozenset[str]
    #: link id -> USD per TEU-km set by the scenario for its line
    tariffs: tuple[tuple[str, float], ...]
    #: service ids the scenario stops / starts (planned services opened)
    services_closed: frozenset[str] = frozenset()
    services_opened: frozenset[str] = frozenset()
    #: link id -> factor on its running time
    hours_factor: tuple[tuple[str, float], ...] = ()


def _lines(net: Network) -> dict[str, list[str]]:
    """Link ids by normalised line name."""
    by_line: dict[str, list[str]] = {}
    for ident, key in zip(net._edges.index, _static(net).line_keys, strict=True):
        by_line.setdefault(key, []).append(ident)
    return by_line


def _links_named(net: Network, name: str, by_line: dict[str, list[str]]) -> list[str] | None:
    if name in net._edges.index:
        return [name]
    return by_line.get(normalize(name))


def effective_costs(costs: CostModel, scenario: Scenario | None) -> CostModel:
    """The cost model a scenario implies: its own, with its carbon price and mode tariffs."""
    if scenario is None:
        return costs
    cm = scenario.costs if scenario.costs is not None else costs
    if scenario.carbon_price_usd_per_t is not None:
        cm = cm.replace(carbon_price_usd_per_t=scenario.carbon_price_usd_per_t)
    modes = {k: v for k, v in scenario.tariffs if k in MODES}
    if modes:
        cm = cm.replace(tariff_usd_per_teu_km=cm.tariff_usd_per_teu_km.replace(**modes))
    return cm


def resolve_closures(net: Network, scenario: Scenario | None) -> Closure:
    """Resolve a scenario's names to hub and link ids, or raise naming the bad one."""
    if scenario is None:
        return Closure(frozenset(), frozenset(), frozenset(), ())
    by_line = _lines(net)
    hubs: set[str] = set()
    links: set[str] = set()
    services = net._services.index
    s_closed = {n for n in scenario.close if n in services}
    s_opened = {n for n in scenario.open if n in services}
    for name in scenario.close:
        if name in s_closed:
            continue
        found = _links_named(net, name, by_line)
        if found is not None:
            links.update(found)
            continue
        try:
            hubs.add(net.hub_id(name))
        except NodeNotFound as exc:
            hint = (
                f"; did you mean {', '.join(map(repr, exc.suggestions))}?"
                if exc.suggestions
                else ""
            )
            raise DataError(
                f"Scenario {scenario.name!r}: nothing named {name!r} to close: no hub, line, "
                f"link or service has that name{hint}"
            ) from None
    opened: set[str] = set()
    for name in scenario.open:
        if name in s_opened:
            continue
        found = _links_named(net, name, by_line)
        if found is None:
            raise DataError(
                f"Scenario {scenario.name!r}: open: no line, link or service named {name!r}"
            )
        opened.update(found)
    tariffs: dict[str, float] = {}
    for name, value in scenario.tariffs:
        if name in MODES:
            continue
        found = _links_named(net, name, by_line)
        if found is None:
            raise DataError(
                f"Scenario {scenario.name!r}: tariffs: no mode, line or link named {name!r}"
            )
        tariffs.update(dict.fromkeys(found, value))
    factors: dict[str, float] = {}
    for name, value in scenario.hours_factor:
        found = _links_named(net, name, by_line)
        if found is None:
            raise DataError(
                f"Scenario {scenario.name!r}: hours_factor: no line or link named {name!r}"
            )
        factors.update(dict.fromkeys(found, value))
    return Closure(
        frozenset(hubs),
        frozenset(links),
        frozenset(opened),
        tuple(sorted(tariffs.items())),
        frozenset(s_closed),
        frozenset(s_opened),
        tuple(sorted(factors.items())),
    )


@dataclass(eq=False)
class CompiledGraph:
    """A network compiled for one cost model and scenario: CSR arrays and the maps back."""

    net: Network
    costs: CostModel
    scenario: Scenario | None
    indptr: NDArray[np.int32]
    indices: NDArray[np.int32]
    tail: NDArray[np.int32]
    #: (len(CRITERIA), m): usd, hours, km, co2, generalized per arc
    criteria: NDArray[np.float64]
    kind: NDArray[np.int8]
    link: NDArray[np.int32]
    forward: NDArray[np.bool_]
    hub: NDArray[np.int32]
    arc_mode: NDArray[np.int8]
    #: service index per arc (-1: none); ``service_ids[i]`` names it
    service: NDArray[np.int32]
    #: hours of the arc spent waiting for a departure (board arcs)
    wait: NDArray[np.float64]
    #: board arcs of timetabled services: first-stop departure offsets are shifted by this
    #: many hours to give the departures at the arc's stop (NaN: no timetable)
    td_shift: NDArray[np.float64]
    cross_usd: NDArray[np.float64]
    cross_hours: NDArray[np.float64]
    state_hub: NDArray[np.int32]
    state_mode: NDArray[np.int8]
    state_gauge: NDArray[np.int32]
    state_role: NDArray[np.int8]
    hub_ids: tuple[str, ...]
    hub_index: dict[str, int]
    link_ids: tuple[str, ...]
    link_line_key: NDArray[np.object_]
    service_ids: tuple[str, ...]
    closure: Closure
    #: (len(COMPONENTS), m): the parts the sensitivity analysis reweights per sample
    components: NDArray[np.float64]
    #: tank-to-wheel kg CO2e per arc (``criteria[3]`` is well-to-wheel)
    co2_ttw: NDArray[np.float64]
    #: per arc, the crossing processes a scenario's ``border_hours`` can change: hub
    #: indices (-1: none) and the hours the data give them, shape (m, 3) each; the arc's
    #: running hours and its crossing hours before they were held to >= -running hours
    #: (see :func:`border_deltas`)
    x_parts: NDArray[np.int32]
    x_base: NDArray[np.float64]
    run_hours: NDArray[np.float64]
    x_raw: NDArray[np.float64]
    _local: threading.local = field(default_factory=threading.local, repr=False)
    #: per-graph results kept across queries (the hub-to-hub shortest-path trees)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def n_states(self) -> int:
        return int(self.state_hub.shape[0])

    @property
    def n_hubs(self) -> int:
        return len(self.hub_ids)

    @property
    def n_nodes(self) -> int:
        return int(self.indptr.shape[0]) - 1

    @property
    def is_travel(self) -> NDArray[np.bool_]:
        """Arcs that move a box over a link (links and service rides; computed once)."""
        out: NDArray[np.bool_] | None = getattr(self._local, "travel", None)
        if out is None:
            out = (self.kind == LINK) | (self.kind == RIDE)
            self._local.travel = out
        return out

    def source(self, hub: int) -> int:
        """Virtual node a query from ``hub`` starts at."""
        return self.n_states + hub

    def sink(self, hub: int) -> int:
        """Virtual node a query to ``hub`` ends at."""
        return self.n_states + self.n_hubs + hub

    def weights(self, by: str) -> NDArray[np.float64]:
        """The arc weights of one criterion (a view: do not write)."""
        row: NDArray[np.float64] = self.criteria[CRITERIA.index(by)]
        return row

    def hub_trees(self, by: str) -> tuple[NDArray[np.float64], NDArray[np.int32]] | None:
        """Shortest-path trees by criterion ``by`` from every hub's source node: ``(dist,
        pred)`` with a row per hub, built once the graph has answered ``TREES_AFTER``
        queries by ``by`` (a few ms for the bundled network), else None. Hub-to-hub queries
        without masks then read their path off the tree instead of searching."""
        trees = self._cache.get(("trees", by))
        if trees is not None:
            return trees  # type: ignore[no-any-return]
        with self._lock:
            count = self._cache.get(("count", by), 0) + 1
            self._cache[("count", by)] = count
            if count < TREES_AFTER or ("trees", by) in self._cache:
                return self._cache.get(("trees", by))
            src = np.arange(self.n_states, self.n_states + self.n_hubs, dtype=np.int64)
            dist = np.full((src.size, self.n_nodes), np.inf)
            pred = np.full((src.size, self.n_nodes), -1, dtype=np.int32)
            chunks = max(1, min(src.size, 4 * numba.get_num_threads()))
            _kernels.many_to_all(
                self.indptr, self.indices, self.weights(by), src, np.inf, True, chunks, dist, pred
            )
            self._cache[("trees", by)] = (dist, pred)
            return dist, pred

    def workspace(self) -> tuple[NDArray[Any], ...]:
        """This thread's clean search workspace (see :func:`corridor._kernels.new_workspace`)."""
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = _kernels.new_workspace(self.n_nodes, False)
            self._local.ws = ws
        return tuple(ws)

    def timetable(self) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """``(td_ptr, td_dep)``: per arc, its weekly departure offsets (hours after Monday
        00:00, sorted) in ``td_dep[td_ptr[e]:td_ptr[e + 1]]``; empty for arcs that need no
        timetable (the expected wait stays their cost)."""
        found: tuple[NDArray[np.int64], NDArray[np.float64]] | None = getattr(
            self, "_timetable", None
        )
        if found is None:
            found = _timetable(self)
            object.__setattr__(self, "_timetable", found)
        return found


def _timetable(g: CompiledGraph) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    from corridor.services import weekly_departures

    m = g.kind.size
    counts = np.zeros(m, dtype=np.int64)
    deps: list[NDArray[np.float64]] = []
    services = g.net._services
    first: dict[int, list[float]] = {}
    for e in np.flatnonzero(~np.isnan(g.td_shift)).tolist():
        s = int(g.service[e])
        if s not in first:
            first[s] = weekly_departures(services.loc[g.service_ids[s]])
        d = np.sort(np.mod(np.asarray(first[s]) + g.td_shift[e], WEEK_HOURS))
        counts[e] = d.size
        deps.append(d)
    td_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(counts, out=td_ptr[1:])
    # arcs were visited in index order, so the slices line up with td_ptr
    td_dep = np.concatenate(deps) if deps else np.empty(0, dtype=np.float64)
    return td_ptr, td_dep


def _crossings(
    nodes: pd.DataFrame, border_hours: dict[str, float]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Crossing hours and USD per hub. A border hub without figures gets the median of the
    sourced border hubs; other hubs without figures cost nothing to pass."""
    hours: NDArray[np.float64] = nodes["crossing_hours"].to_numpy(dtype=np.float64, copy=True)
    usd: NDArray[np.float64] = nodes["crossing_usd"].to_numpy(dtype=np.float64, copy=True)
    border = (nodes["kind"] == "border").to_numpy()
    for arr in (hours, usd):
        known = border & ~np.isnan(arr)
        fill = float(np.median(arr[known])) if known.any() else 0.0
        arr[border & np.isnan(arr)] = fill
        arr[np.isnan(arr)] = 0.0
    ids = list(nodes.index)
    for hub, h in border_hours.items():
        hours[ids.index(hub)] = h
    return hours, usd


#: rows of ``CompiledGraph.components``: km at the default tariff of each mode, then
#: USD that do not scale with a mode tariff, hours that are not border hours, border
#: hours, kg CO2, and km.
COMPONENTS: tuple[str, ...] = (
    *(f"km_{m}" for m in MODES),
    "fixed_usd",
    "hours",
    "border_hours",
    "co2_kg",
    "km",
)


@dataclass(frozen=True, slots=True)
class _Static:
    """Per-network values the compiler reads for every link and hub, extracted once."""

    ids: list[str]
    modes: list[str]
    gauges: list[int]
    a: list[int]
    b: list[int]
    km: list[float]
    transit: list[float | None]
    speed: list[float | None]
    #: rail: ordinary trains' speed where ``speed`` is a block train's (unscheduled running)
    ordinary: list[float | None]
    tariff: list[float | None]
    bidirectional: list[bool]
    operational: NDArray[np.bool_]
    handling: list[float | None]
    dwell: list[float | None]
    gauge_usd: list[float | None]
    gauge_hours: list[float | None]
    border: NDArray[np.bool_]
    #: Chinese seaports: loading a ship there costs export clearance
    export_port: NDArray[np.bool_]
    #: per hub: the seaports a declaration there clears for (hub indices)
    clears_for: list[frozenset[int]]
    line_keys: NDArray[np.object_]
    link_index: dict[str, int]
    #: per link: its line's name; per hub: name, kind
    line_names: list[str]
    hub_names: list[str]
    hub_kinds: list[str]
    hub_countries: list[str]
    #: per link: its road class (None: not a road, or not classed)
    road_class: list[str | None]
    #: per link: +1 if its loaded (head-haul) direction is forward, -1 backward, 0 none
    headhaul: list[int]
    #: the services table as records, in order
    services: list[dict[str, Any]]
    #: (hub, mode, "export"|"import") -> (hours, usd) of a border process
    borders: dict[tuple[int, str, str], tuple[float, float]]
    #: seaport hub -> (export h, export USD, import h, import USD, transship h, transship USD)
    ports: dict[int, tuple[float, float, float, float, float, float]]
    seaport: NDArray[np.bool_]


_STATIC: weakref.WeakKeyDictionary[Network, _Static] = weakref.WeakKeyDictionary()


def _check_link_numbers(edges: pd.DataFrame) -> None:
    """Refuse, naming link and field, a link figure that is no finite number > 0: the files
    are checked on loading, but a :class:`Network` built from frames is not (a string "40"
    would pass as 40, a 0 km/h divide by zero deep inside)."""
    problems = []
    for col in EDGE_NUMBERS:
        if col not in edges:
            continue
        for ident, v in zip(edges.index, edges[col].tolist(), strict=True):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                if col == "length_km":
                    problems.append(Problem("edges", str(ident), col, "is required"))
                continue
            number = isinstance(v, int | float | np.integer | np.floating) and not isinstance(
                v, bool | np.bool_
            )
            if not number or not math.isfinite(float(v)) or float(v) <= 0:
                problems.append(
                    Problem("edges", str(ident), col, f"must be a finite number > 0, got {v!r}")
                )
    if problems:
        raise DataError(problems)


def _static(net: Network) -> _Static:
    found = _STATIC.get(net)
    if found is not None:
        return found
    nodes, edges = net._nodes, net._edges
    index = {h: i for i, h in enumerate(nodes.index)}
    modes = [str(m) for m in edges["mode"]]

    def nums(frame: pd.DataFrame, col: str) -> list[float | None]:
        return [_num(v) for v in frame[col].tolist()]

    _check_link_numbers(edges)

    st = _Static(
        ids=[str(i) for i in edges.index],
        modes=modes,
        gauges=[
            int(g) if m == "rail" else 0
            for g, m in zip(edges["gauge_mm"].tolist(), modes, strict=True)
        ],
        a=[index[h] for h in edges["from"]],
        b=[index[h] for h in edges["to"]],
        km=[float(x) for x in edges["length_km"]],
        transit=nums(edges, "transit_hours"),
        speed=nums(edges, "speed_kmh"),
        ordinary=(
            nums(edges, "ordinary_speed_kmh")
            if "ordinary_speed_kmh" in edges
            else [None] * len(edges)
        ),
        tariff=nums(edges, "tariff_usd_per_teu_km"),
        bidirectional=[bool(x) for x in edges["bidirectional"]],
        operational=(edges["status"] == "operational").to_numpy(),
        handling=nums(nodes, "handling_usd"),
        dwell=nums(nodes, "dwell_hours"),
        gauge_usd=nums(nodes, "gauge_change_usd"),
        gauge_hours=nums(nodes, "gauge_change_hours"),
        border=(nodes["kind"] == "border").to_numpy(),
        export_port=((nodes["kind"] == "seaport") & (nodes["country"] == "CHN")).to_numpy(),
        clears_for=[frozenset(index[p] for p in ports) for ports in nodes["clears_for"]],
        line_keys=np.asarray([normalize(x) for x in edges["line"]], dtype=object),
        link_index={str(i): k for k, i in enumerate(edges.index)},
        line_names=[str(x) for x in edges["line"]],
        hub_names=[str(x) for x in nodes["name"]],
        hub_kinds=[str(x) for x in nodes["kind"]],
        hub_countries=[str(x) for x in nodes["country"]],
        services=read_rows(net._services, "services")[1],
        borders={
            (index[str(h)], str(m), str(d)): (float(hr), float(u))
            for (h, m, d), hr, u in zip(
                net._borders.index, net._borders["hours"], net._borders["usd"], strict=True
            )
        },
        ports={
            index[h]: tuple(float(r[c]) for c in PORT_NUMBERS)  # type: ignore[misc]
            for h, r in net._ports.set_index("hub").iterrows()
        },
        seaport=(nodes["kind"] == "seaport").to_numpy(),
        road_class=[
            str(x) if isinstance(x, str) and m == "road" else None
            for x, m in zip(
                edges["road_class"] if "road_class" in edges else [None] * len(edges),
                modes,
                strict=True,
            )
        ],
        headhaul=[
            {"forward": 1, "backward": -1}.get(str(x), 0) if m == "sea" else 0
            for x, m in zip(
                edges["headhaul"] if "headhaul" in edges else [None] * len(edges),
                modes,
                strict=True,
            )
        ],
    )
    _STATIC[net] = st
    return st


class _States:
    """The state nodes, created on first use: ``(hub, mode, gauge, role, service)``."""

    def __init__(self) -> None:
        self.key: dict[tuple[int, int, int, int, int], int] = {}
        self.hub: list[int] = []
        self.mode: list[int] = []
        self.gauge: list[int] = []
        self.role: list[int] = []

    def get(self, hub: int, mode: int, gauge: int, role: int = HUB, service: int = -1) -> int:
        """The state's node id; ``service`` tells one service's states from another's (and,
        offset per direction and position, one pass of a hub from another)."""
        k = (hub, mode, gauge, role, service)
        found = self.key.get(k)
        if found is None:
            found = self.key[k] = len(self.hub)
            self.hub.append(hub)
            self.mode.append(mode)
            self.gauge.append(gauge)
            self.role.append(role)
        return found

    def new(self, hub: int, mode: int, gauge: int) -> int:
        """A fresh service state (never shared)."""
        return self.get(hub, mode, gauge, ON_SERVICE, -1 - len(self.hub))


#: the columns of an arc and their defaults
_ARC_FIELDS: dict[str, tuple[Any, float | int | bool]] = {
    "tail": (np.int64, 0),
    "head": (np.int64, 0),
    "kind": (np.int8, 0),
    "link": (np.int32, -1),
    "forward": (np.bool_, True),
    "hub": (np.int32, -1),
    "mode": (np.int8, -1),
    "service": (np.int32, -1),
    "usd": (FLOAT, 0.0),
    "hours": (FLOAT, 0.0),
    "km": (FLOAT, 0.0),
    "co2": (FLOAT, 0.0),
    #: tank-to-wheel kg CO2e (``co2`` is well-to-wheel)
    "co2_ttw": (FLOAT, 0.0),
    #: crossing USD and hours charged on entering ``hub`` (part of the totals)
    "x_usd": (FLOAT, 0.0),
    "x_hours": (FLOAT, 0.0),
    #: of ``hours + x_hours``, the hours spent at a border
    "border_hours": (FLOAT, 0.0),
    #: km charged at the mode's default tariff (the rest of ``usd`` is fixed)
    "km_default": (FLOAT, 0.0),
    "wait": (FLOAT, 0.0),
    "td_shift": (FLOAT, math.nan),
    #: the crossing processes in ``x_hours`` a scenario's ``border_hours`` can change: up to
    #: three (hub, hours the data give) pairs, hub -1 when unused
    "xp0": (np.int32, -1),
    "xb0": (FLOAT, 0.0),
    "xp1": (np.int32, -1),
    "xb1": (FLOAT, 0.0),
    "xp2": (np.int32, -1),
    "xb2": (FLOAT, 0.0),
}
#: the (hub, base) columns of the crossing processes of an arc
X_PARTS = (("xp0", "xb0"), ("xp1", "xb1"), ("xp2", "xb2"))


def _parts(parts: list[tuple[int, float]]) -> dict[str, float | int]:
    """The ``xp*``/``xb*`` arc columns of up to three crossing processes."""
    out: dict[str, float | int] = {}
    for (hub, base), (ph, pb) in zip(parts, X_PARTS, strict=False):
        out[ph], out[pb] = hub, base
    return out


class _Arcs:
    """Arcs as typed columns, appended one named arc at a time."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {k: [] for k in _ARC_FIELDS}

    def add(self, **values: Any) -> None:
        for k, (_, default) in _ARC_FIELDS.items():
            self.cols[k].append(values.pop(k, default))
        if values:
            raise TypeError(f"unknown arc fields: {', '.join(values)}")

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {k: np.asarray(self.cols[k], dtype=t) for k, (t, _) in _ARC_FIELDS.items()}


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What every arc builder reads: network data, costs and the scenario's effects."""

    net: Network
    costs: CostModel
    static: _Static
    active: NDArray[np.bool_]
    line_tariff: dict[str, float]
    cross_h: NDArray[np.float64]
    cross_u: NDArray[np.float64]
    #: crossing hours without the scenario's overrides (published transit times include
    #: them; a scenario's change is added on top)
    base_cross_h: NDArray[np.float64]
    closure: Closure
    hub_index: dict[str, int]
    open_planned: bool
    #: whether inland ports' single declaration spares the seaport's export clearance
    inland_clearance: bool
    #: hub -> border process hours set by the scenario (every mode and direction)
    border_override: dict[int, float]
    #: link -> factor on its running time, set by the scenario
    hours_factor: dict[int, float]


class _Run(NamedTuple):
    """One direction of a service: the links in travel order and the hubs passed."""

    service: int
    mode: str
    links: list[int]
    forward: list[bool]
    stops: set[int]
    hubs: list[int]


def _link_cost(
    ctx: _Ctx, li: int, forward: bool = True
) -> tuple[float, float, float, float, float]:
    """``(usd, hours, km, co2, km_default)`` of running over link ``li`` (``forward``: from
    its ``from`` end; ``co2`` is filled in for all arcs at once by :func:`_emissions`,
    0 here). A truck's hours are its driving alone (:func:`_road_arcs` adds its stops);
    barges run slower upstream (a river link's ``from`` end is upstream); a ship against
    the loaded direction of its trade lane pays the backhaul share of the tariff."""
    st, costs = ctx.static, ctx.costs
    mode, km = st.modes[li], st.km[li]
    transit, speed = st.transit[li], st.speed[li]
    road_class = st.road_class[li]
    factor = costs.road_tariff_factor[road_class] if road_class else 1.0
    if st.headhaul[li] and (st.headhaul[li] > 0) != forward:
        factor = costs.sea_backhaul_factor
    elif st.headhaul[li] and costs.sea_spot_usd_per_teu is not None:
        factor = costs.sea_spot_usd_per_teu / SEA_SPOT_BASE_USD_PER_TEU
    if transit is not None:
        hours = transit
    elif speed is not None:
        hours = km / speed
    elif mode == "road" and road_class:
        hours = km / costs.truck_speed_kmh[road_class]
    elif mode == "inland_waterway":
        hours = km / (costs.river_downstream_kmh if forward else costs.river_upstream_kmh)
    else:
        hours = km / costs.speed_kmh[mode]
    tariff = ctx.line_tariff.get(st.ids[li], st.tariff[li])
    usd = km * (tariff if tariff is not None else costs.tariff_usd_per_teu_km[mode] * factor)
    km_default = km * factor if tariff is None else 0.0
    return usd, hours, km, 0.0, km_default


def _entering(ctx: _Ctx, h: int, published: bool) -> dict[str, float]:
    """Crossing columns of an arc entering hub ``h``; with a published transit time the
    crossing's hours are already in it, and only a scenario's change is added."""
    xh = ctx.cross_h[h] - ctx.base_cross_h[h] if published else ctx.cross_h[h]
    border = xh if ctx.static.border[h] else 0.0
    return {
        "x_usd": ctx.cross_u[h], "x_hours": xh, "border_hours": border,
        **_parts([(h, float(ctx.base_cross_h[h]))]),
    }  # fmt: skip


def _crossing(
    ctx: _Ctx, li: int, forward: bool, published: bool, *, entering_transit: bool = False
) -> dict[str, float]:
    """Crossing columns of an arc over link ``li``: a lock, canal or strait it enters, and,
    where the link joins two countries, the export process at the hub it leaves and the
    import process at the hub it enters, for its mode (``data/sources/borders.csv``). A box
    ``entering_transit`` (on a train that does not stop in the customs territory it enters,
    :func:`customs_area`) pays the hub's ``transit`` process there instead of import; at a
    border inside a customs union it pays that border's own processes. A network without a
    border table charges a border hub's own figures on every arc that enters it. With a
    published transit time that includes them (``published``), the processes' hours are
    already in it, and only a scenario's change is added."""
    st = ctx.static
    a, b = (st.a[li], st.b[li]) if forward else (st.b[li], st.a[li])
    if not st.borders:
        return _entering(ctx, b, published)
    usd = hours = border = 0.0
    parts: list[tuple[int, float]] = []
    if not st.border[b]:
        usd += ctx.cross_u[b]
        hours += ctx.cross_h[b] - ctx.base_cross_h[b] if published else ctx.cross_h[b]
        parts.append((b, float(ctx.base_cross_h[b])))
    ca, cb = st.hub_countries[a], st.hub_countries[b]
    if ca != cb:
        mode = st.modes[li]
        # inside a customs union a box in transit meets the internal border's own checks
        outer = customs_area(ca) != customs_area(cb)
        entry = "transit" if entering_transit and outer else "import"
        for hub, direction in ((a, "export"), (b, entry)):
            process = st.borders.get((hub, mode, direction))
            if process is None:  # by sea or air: ports and airports, not land borders
                continue
            base, fee = process
            now = ctx.border_override.get(hub, base)
            usd += fee
            dh = now - base if published else now
            hours += dh
            border += dh
            parts.append((hub, float(base)))
    return {"x_usd": usd, "x_hours": hours, "border_hours": border, **_parts(parts)}


def _link_arcs(
    arcs: _Arcs, states: _States, ctx: _Ctx, covered: dict[tuple[int, bool], float]
) -> None:
    """Links: road between hub states; other modes between unscheduled states. Where a
    running service ``covered`` the link in that direction, running outside the timetable
    is never faster than the slowest such service (so a charter cannot beat the liner). A
    rail link whose published speed is a block train's and which gives the speed of the
    ordinary trains on it (``ordinary_speed_kmh``) runs unscheduled trains at the latter."""
    st = ctx.static
    road: list[int] = []
    transit_areas = {
        (customs_area(st.hub_countries[h]), m) for h, m, d in st.borders if d == "transit"
    }  # fmt: skip
    for li in np.flatnonzero(ctx.active).tolist():
        mode = st.modes[li]
        if mode == "road":
            road.append(li)
            continue
        mc, gauge = MODE_CODE[mode], st.gauges[li]
        role = HUB if mode not in SERVICE_MODES else UNSCHEDULED
        a, b = st.a[li], st.b[li]
        for forward in (True, False) if st.bidirectional[li] else (True,):
            usd, hours, km, co2, kmd = _link_cost(ctx, li, forward)
            ordinary = st.ordinary[li]
            if ordinary is not None:  # no listed service: an ordinary train
                hours = km / ordinary
            factor = ctx.hours_factor.get(li, 1.0)
            hours *= factor
            t, h = (a, b) if forward else (b, a)
            # the services' floor is scaled as the services' own ride arcs are
            floor = covered.get((li, forward), 0.0) * factor
            values = {
                "hub": h, "forward": forward, "kind": LINK, "link": li, "mode": mc, "usd": usd,
                "hours": max(hours, floor), "km": km, "co2": co2, "km_default": kmd,
            }  # fmt: skip
            tail, head = states.get(t, mc, gauge, role), states.get(h, mc, gauge, role)
            arcs.add(tail=tail, head=head, **values, **_crossing(ctx, li, forward, False))
            if role == UNSCHEDULED:
                _transit_link_arcs(arcs, states, ctx, li, forward, values, transit_areas)
    _road_arcs(arcs, states, ctx, road)


def _transit_link_arcs(
    arcs: _Arcs,
    states: _States,
    ctx: _Ctx,
    li: int,
    forward: bool,
    values: dict[str, Any],
    transit_areas: set[tuple[str, str]],
) -> None:
    """An unscheduled train's run through a customs territory it only crosses (a country,
    or a customs union as one: :func:`customs_area`): a box may enter it at a hub with a
    ``transit`` border process in a transit state (the process instead of import
    clearance), ride on in the territory's transit states, which have no way off the train
    (over a border inside a union it pays that border's own checks), and leave it over its
    outer border (the export process there, the next territory's import or transit). So a
    box pays import clearance only where it stays: one bound for Moscow through Kazakhstan
    is released into the Eurasian Economic Union where it enters it."""
    st = ctx.static
    mode, gauge, mc = st.modes[li], st.gauges[li], MODE_CODE[st.modes[li]]
    t, h = (st.a[li], st.b[li]) if forward else (st.b[li], st.a[li])
    ct, ch = customs_area(st.hub_countries[t]), customs_area(st.hub_countries[h])
    from_transit = (ct, mode) in transit_areas
    if ct == ch:
        if from_transit:
            tail, head = states.get(t, mc, gauge, IN_TRANSIT), states.get(h, mc, gauge, IN_TRANSIT)
            cross = _crossing(ctx, li, forward, False, entering_transit=True)
            arcs.add(tail=tail, head=head, **values, **cross)
        return
    enters = (h, mode, "transit") in st.borders
    pairs = [(UNSCHEDULED, IN_TRANSIT)] if enters else []
    if from_transit:
        pairs += [(IN_TRANSIT, UNSCHEDULED)] + ([(IN_TRANSIT, IN_TRANSIT)] if enters else [])
    for tail_role, head_role in pairs:
        into = head_role == IN_TRANSIT
        arcs.add(
            tail=states.get(t, mc, gauge, tail_role), head=states.get(h, mc, gauge, head_role),
            **values, **_crossing(ctx, li, forward, False, entering_transit=into),
        )  # fmt: skip


def _road_arcs(arcs: _Arcs, states: _States, ctx: _Ctx, links: list[int]) -> None:
    """Trucks, timed by the hours their driver has driven that day (the *clock*).

    A truck leaves a hub with a fresh driver from the hub's departure state (clock 0: a
    box starts there, or comes off another mode) and, over each road link, goes from
    clock ``k`` at one end to clock ``k'`` at the other, stopping for the breaks and daily
    rests of the driving rules of the country the link starts in
    (:meth:`DrivingRules.drive`); from any clock it may stop at a hub (the hub's road
    state: a box leaves the truck there) or drive on. The clock counts in steps of
    ``TRUCK_CLOCK_STEP`` hours, rounded up, so a truck never drives longer without rest
    than the rules allow. A trip shorter than a day's driving makes no daily rest; a long
    one makes one per day. A road link with a published transit time keeps it (its stops
    are in it) and advances the clock by it.
    """
    st, costs = ctx.static, ctx.costs
    road = MODE_CODE["road"]
    out: dict[int, list[tuple[int, bool]]] = {}
    for li in links:
        out.setdefault(st.a[li], []).append((li, True))
        if st.bidirectional[li]:
            out.setdefault(st.b[li], []).append((li, False))
        states.get(st.a[li], road, 0)
        states.get(st.b[li], road, 0)
    base = {
        (li, f): (*_link_cost(ctx, li, f), _crossing(ctx, li, f, False))
        for li in links
        for f in ((True, False) if st.bidirectional[li] else (True,))
    }
    step = TRUCK_CLOCK_STEP

    def clock(h: int, k: int) -> int:
        return states.get(h, road, 0, ROAD_CLOCK, k)

    todo = [(h, 0) for h in sorted(out)]
    seen = set(todo)
    while todo:
        h, k = todo.pop()
        tail = clock(h, k)
        for li, forward in out.get(h, []):
            usd, drive, km, co2, kmd, crossing = base[(li, forward)]
            drive *= ctx.hours_factor.get(li, 1.0)
            rules = driving_rules_for(st.hub_countries[h])
            if st.transit[li] is not None:
                stopped, end = 0.0, min(k * step + drive, rules.day(costs.truck_team)[0])
            else:
                stopped, end = rules.drive(k * step, drive, costs.truck_team)
            if costs.truck_team:
                usd += costs.team_usd_per_hour * (drive + stopped)
            other = st.b[li] if forward else st.a[li]
            k2 = max(1, math.ceil(end / step - 1e-9))
            # a dead end (no road on but back): the truck can only stop there
            onward = any(x != li for x, _ in out.get(other, []))
            head = clock(other, k2) if onward else states.get(other, road, 0)
            arcs.add(
                tail=tail, head=head, hub=other, forward=forward, kind=LINK, link=li,
                mode=road, usd=usd, hours=drive + stopped, km=km, co2=co2, km_default=kmd,
                **crossing,
            )  # fmt: skip
            if onward and (other, k2) not in seen:
                seen.add((other, k2))
                todo.append((other, k2))
                arcs.add(tail=head, head=states.get(other, road, 0), kind=ATTACH, hub=other)


def _landing(states: _States, ctx: _Ctx, h: int, mc: int, gauge: int) -> int:
    """Where a box alights: at a seaport off a ship, the quay (discharged, not yet imported
    or transshipped); elsewhere the hub state of the mode."""
    if mc == _SEA and ctx.static.seaport[h]:
        return states.get(h, _SEA, 0, DISCHARGED)
    return states.get(h, mc, gauge)


def _port_arcs(arcs: _Arcs, states: _States, ctx: _Ctx, n_hubs: int) -> None:
    """From the quay of a seaport: onto another ship (transshipment), into the port's other
    modes (import: dwell and customs, then handling), or out of the gate at the port
    itself (import). Figures from ``data/sources/ports.csv``; the cost model's otherwise."""
    st, costs = ctx.static, ctx.costs
    quays = [(h, s) for (h, _, _, role, _), s in states.key.items() if role == DISCHARGED]
    onward = {h: states.get(h, _SEA, 0) for h, _ in quays}  # every state exists from here
    by_hub: dict[int, list[tuple[int, int]]] = {}
    for (h, mc, _, role, _), s in states.key.items():
        if role == HUB and mc != _SEA:
            by_hub.setdefault(h, []).append((s, mc))
    sink0 = len(states.hub) + n_hubs
    for h, quay in quays:
        fig = st.ports.get(h)
        imp_h, imp_u = (fig[2], fig[3]) if fig else (0.0, 0.0)
        ts_h, ts_u = (
            (fig[4], fig[5]) if fig else (costs.transshipment_hours, costs.transshipment_usd)
        )
        arcs.add(tail=quay, head=onward[h], kind=PORT, hub=h, mode=_SEA, usd=ts_u, hours=ts_h)
        arcs.add(tail=quay, head=sink0 + h, kind=PORT, hub=h, mode=_SEA, usd=imp_u, hours=imp_h)
        for s, mc in by_hub.get(h, []):
            usd, hours = _handling(ctx, h, _SEA, mc)
            arcs.add(
                tail=quay, head=s, kind=TRANSFER, hub=h, mode=mc, usd=usd + imp_u,
                hours=hours + imp_h,
            )  # fmt: skip


def _unscheduled_arcs(arcs: _Arcs, states: _States, ctx: _Ctx) -> None:
    """Boarding an unscheduled vehicle costs the wait at the default frequency: a train's
    ``rail_departures_per_week``, a ship's, barge's or flight's
    ``unscheduled_departures_per_week``."""
    costs = ctx.costs
    wait = costs.wait_fraction * WEEK_HOURS / costs.unscheduled_departures_per_week
    rail_wait = costs.wait_fraction * WEEK_HOURS / costs.rail_departures_per_week
    for (h, mc, gauge, role, _), s in list(states.key.items()):
        if role != UNSCHEDULED:
            continue
        w = rail_wait if mc == MODE_CODE["rail"] else wait
        hub_state = states.get(h, mc, gauge)
        arcs.add(tail=hub_state, head=s, kind=BOARD, hub=h, mode=mc, hours=w, wait=w)
        arcs.add(tail=s, head=_landing(states, ctx, h, mc, gauge), kind=ALIGHT, hub=h, mode=mc)
    _through_gauge_arcs(arcs, states, ctx)


def _through_gauge_arcs(arcs: _Arcs, states: _States, ctx: _Ctx) -> None:
    """An unscheduled train that meets a break of gauge goes on as a train: its boxes are
    lifted onto wagons of the other gauge and leave with them, as a service's do, instead
    of waiting for another unscheduled departure (a block train is transloaded as a whole,
    e.g. at Dostyk, Khorgos or Brest)."""
    by_hub: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for (h, mc, gauge, role, _), s in states.key.items():
        if role in (UNSCHEDULED, IN_TRANSIT) and mc == MODE_CODE["rail"]:
            by_hub.setdefault((h, role), []).append((s, gauge))
    for (h, _), members in by_hub.items():
        for s, gs in members:
            for t, gt in members:
                if gs != gt:
                    usd, hours = _gauge_cost(ctx, h)
                    arcs.add(tail=s, head=t, kind=GAUGE, hub=h, mode=MODE_CODE["rail"],
                             usd=usd, hours=hours)  # fmt: skip


def _gauge_cost(ctx: _Ctx, h: int) -> tuple[float, float]:
    st, costs = ctx.static, ctx.costs
    usd, hours = st.gauge_usd[h], st.gauge_hours[h]
    return (
        usd if usd is not None else costs.gauge_change_usd,
        hours if hours is not None else costs.gauge_change_hours,
    )


def _service_runs(ctx: _Ctx) -> list[_Run]:
    """Each direction of each running service."""
    st = ctx.static
    closure_closed, opened = ctx.closure.services_closed, ctx.closure.services_opened
    out = []
    for si, row in enumerate(st.services):
        ident = row["id"]
        if ident in closure_closed:
            continue
        if row["status"] != "operational" and ident not in opened and not ctx.open_planned:
            continue
        links = [st.link_index[x] for x in row["links"]]
        hubs = [ctx.hub_index[h] for h in row["hubs"]]
        stops = {ctx.hub_index[h] for h in row["stops"]}
        fwd = [st.a[li] == hubs[k] for k, li in enumerate(links)]
        out.append(_Run(si, row["mode"], links, fwd, stops, hubs))
        if row["bidirectional"]:
            back = [not f for f in fwd[::-1]]
            out.append(_Run(si, row["mode"], links[::-1], back, stops, hubs[::-1]))
    return out


def _stop_hours(ctx: _Ctx, run: _Run) -> float:
    """Base hours of the border processes, crossings and gauge changes ``run`` passes."""
    st = ctx.static
    through = _through_entries(ctx, run.mode, run.hubs, run.stops)
    total = 0.0
    for k, li in enumerate(run.links):
        if k > 0 and st.gauges[li] != st.gauges[run.links[k - 1]]:
            total += _gauge_cost(ctx, run.hubs[k])[1]
        cross = _crossing(ctx, li, run.forward[k], False, entering_transit=through[k + 1])
        total += sum(float(cross.get(pb, 0.0)) for _, pb in X_PARTS)
    return total


def _ride_hours(ctx: _Ctx, run: _Run) -> tuple[list[float], bool]:
    """Hours of a service direction over each of its links: the links' own times, scaled so
    that the published direction (first stop to last) takes the published transit time,
    and whether its stops (border processes, crossings, gauge changes) are charged on their
    own arcs. They are where they fit in the published time: the links share what is left;
    where they do not (the published time is shorter than the border figures of the way),
    the published time includes them and the links share all of it."""
    row = ctx.static.services[run.service]
    transit = _num(row["transit_hours"])
    own = [_link_cost(ctx, li, f)[1] for li, f in zip(run.links, run.forward, strict=True)]
    if transit is None:
        return own, True
    st = ctx.static
    links = [st.link_index[x] for x in row["links"]]
    hubs = [ctx.hub_index[h] for h in row["hubs"]]
    fwd = [st.a[li] == hubs[k] for k, li in enumerate(links)]
    published = _Run(run.service, run.mode, links, fwd, run.stops, hubs)
    moving = sum(_link_cost(ctx, li, f)[1] for li, f in zip(links, fwd, strict=True))
    running = transit - _stop_hours(ctx, published)
    split = running > 0.0
    scale = (running if split else transit) / moving
    return [h * scale for h in own], split


def _run_hours(ctx: _Ctx, runs: list[_Run]) -> tuple[list[list[float]], list[bool]]:
    """Hours of each run over each of its links, and whether its stops are charged apart
    (see :func:`_ride_hours`)."""
    out = [_ride_hours(ctx, r) for r in runs]
    return [h for h, _ in out], [s for _, s in out]


def _covered(
    runs: list[_Run], hours: list[list[float]], split: list[bool]
) -> dict[tuple[int, bool], float]:
    """``(link, forward) -> hours`` of the slowest running service over it. A run whose
    published time is shorter than the border figures of its way carries its stops in its
    link hours (:func:`_ride_hours`), which are then no running times and set no floor."""
    out: dict[tuple[int, bool], float] = {}
    for r, hs, apart in zip(runs, hours, split, strict=True):
        if not apart:
            continue
        for li, f, h in zip(r.links, r.forward, hs, strict=True):
            out[(li, f)] = max(out.get((li, f), 0.0), h)
    return out


def _through_entries(ctx: _Ctx, mode: str, hubs: list[int], stops: set[int]) -> list[bool]:
    """Per hub of a run: whether a box on board is in transit there, i.e. the run entered
    this hub's customs territory (:func:`customs_area`) over a border with a ``transit``
    process for ``mode`` and makes no stop in that territory before it leaves it again (a
    run that ends there stops there)."""
    st = ctx.static
    area = [customs_area(st.hub_countries[h]) for h in hubs]
    out = [False] * len(hubs)
    k = 1
    while k < len(hubs):
        if area[k] == area[k - 1]:
            k += 1
            continue
        end = k
        while end + 1 < len(hubs) and area[end + 1] == area[k]:
            end += 1
        leaves = end + 1 < len(hubs)
        passes = leaves and not any(h in stops for h in hubs[k : end + 1])
        if passes and (hubs[k], mode, "transit") in st.borders:
            out[k : end + 1] = [True] * (end + 1 - k)
        k = end + 1
    return out


def _pooled_departures(ctx: _Ctx, runs: list[_Run]) -> list[dict[int, tuple[float, int]]]:
    """Per run, per position along it where a box may board a common line: the departures
    a week of every line it can take there to the run's next stop, and the position of
    that stop. A box bound for the next stop takes the first ship or train of any
    frequency-only service of the same mode that runs from the stop to it (calling
    elsewhere first or not: the approximation of frequency-based assignment that the
    faster ride is taken with the pooled wait); a box riding on past it waits for its own
    line. Services with a timetable keep their own departures (the time-dependent search
    knows those one by one) and are left out of others' pools. Only positions where some
    other line runs to the next stop are listed."""
    st = ctx.static
    served: list[set[tuple[int, int]]] = []
    nexts: list[dict[int, tuple[tuple[int, int], int]]] = []
    for run in runs:
        calls = [k for k, h in enumerate(run.hubs) if h in run.stops]
        ok = [bool(ctx.active[li]) for li in run.links]
        served.append(
            {
                (run.hubs[i], run.hubs[j])
                for n, i in enumerate(calls)
                for j in calls[n + 1 :]
                if all(ok[i:j])
            }
        )
        nexts.append({i: ((run.hubs[i], run.hubs[j]), j) for i, j in itertools.pairwise(calls)})
    out: list[dict[int, tuple[float, int]]] = []
    for r, run in enumerate(runs):
        row = st.services[run.service]
        pooled: dict[int, tuple[float, int]] = {}
        if not row["weekdays"]:
            for k, (pair, j) in nexts[r].items():
                others = sum(
                    float(st.services[other.service]["departures_per_week"])
                    for o, other in enumerate(runs)
                    if o != r
                    and other.mode == run.mode
                    and not st.services[other.service]["weekdays"]
                    and pair in served[o]
                )
                if others > 0:
                    pooled[k] = (float(row["departures_per_week"]) + others, j)
        out.append(pooled)
    return out


def _service_arcs(
    arcs: _Arcs,
    states: _States,
    ctx: _Ctx,
    runs: list[_Run],
    run_hours: list[list[float]],
    split: list[bool],
    pooled: list[dict[int, tuple[float, int]]],
) -> list[list[int]]:
    """Each service direction: board at its stops, ride link by link (a change of gauge on
    the way is part of the service), alight at its stops. A published transit time or
    tariff is shared over the links by km; the boarding wait is half the headway. Where
    other lines run from a stop to the run's next stop, a second way on board waits for
    the first of all of them and may only get off at that next stop (common lines,
    :func:`_pooled_departures`). Returns, per run, the on-board state on arriving at each
    hub after the first (of the run's own way on board)."""
    costs = ctx.costs
    arrivals: list[list[int]] = []
    for (si, mode, links, fwd, stops, hubs), ride_hours, apart, common in zip(
        runs, run_hours, split, pooled, strict=True
    ):
        arrivals.append([])
        row = ctx.static.services[si]
        mc = MODE_CODE[mode]
        tariff = _num(row["tariff_usd_per_teu"])
        included = not apart  # the published transit time includes the stops
        total_km = float(row["km"])
        wait = costs.wait_fraction * WEEK_HOURS / float(row["departures_per_week"])
        timetabled = bool(row["weekdays"])
        links_ok = [bool(ctx.active[li]) for li in links]
        #: per link position: the gauge change before it and the ride over it (arc fields)
        steps: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []
        gauges = [ctx.static.gauges[li] for li in links]
        clock = 0.0  # hours after the first departure
        through = _through_entries(ctx, mode, hubs, stops)
        prev = states.new(hubs[0], mc, gauges[0])
        for k, li in enumerate(links):
            h0, h1 = hubs[k], hubs[k + 1]
            if k > 0 and gauges[k] != gauges[k - 1]:
                g_usd, g_hours = _gauge_cost(ctx, h0)
                g_hours = 0.0 if included else g_hours
                nxt = states.new(h0, mc, gauges[k])
                gauge = dict(kind=GAUGE, hub=h0, mode=mc, service=si, usd=g_usd, hours=g_hours)
                arcs.add(tail=prev, head=nxt, **gauge)
                clock += g_hours
                prev = nxt
            else:
                gauge = None
            if h0 in stops and links_ok[k]:
                hub_state = states.get(h0, mc, gauges[k])
                arcs.add(
                    tail=hub_state, head=prev, kind=BOARD, hub=h0, mode=mc, service=si,
                    hours=wait, wait=wait, td_shift=clock if timetabled else math.nan,
                )  # fmt: skip
            usd, _, km, co2, kmd = _link_cost(ctx, li, fwd[k])
            hours = ride_hours[k] * ctx.hours_factor.get(li, 1.0)
            if tariff is not None:
                usd, kmd = tariff * km / total_km, 0.0
            cross = _crossing(
                ctx, li, fwd[k], included, entering_transit=through[k + 1]
            )  # fmt: skip
            head = states.new(h1, mc, gauges[k])
            arrivals[-1].append(head)
            ride = dict(
                kind=RIDE, link=li, forward=fwd[k], hub=h1, mode=mc, service=si, usd=usd,
                hours=hours, km=km, co2=co2, km_default=kmd, **cross,
            )  # fmt: skip
            steps.append((gauge, ride))
            if links_ok[k]:
                arcs.add(tail=prev, head=head, **ride)
            clock += hours + cross["x_hours"]
            prev = head
            if h1 in stops and links_ok[k]:
                arcs.add(
                    tail=head, head=_landing(states, ctx, h1, mc, gauges[k]), kind=ALIGHT,
                    hub=h1, mode=mc, service=si,
                )  # fmt: skip
        for k, (per_week, j) in common.items():
            if not all(links_ok[k:j]):
                continue
            pooled_wait = costs.wait_fraction * WEEK_HOURS / per_week
            prev = states.new(hubs[k], mc, gauges[k])
            arcs.add(
                tail=states.get(hubs[k], mc, gauges[k]), head=prev, kind=BOARD, hub=hubs[k],
                mode=mc, service=si, hours=pooled_wait, wait=pooled_wait, td_shift=math.nan,
            )  # fmt: skip
            for t in range(k, j):
                gauge, ride = steps[t]
                if t > k and gauge is not None:
                    nxt = states.new(hubs[t], mc, gauges[t])
                    arcs.add(tail=prev, head=nxt, **gauge)
                    prev = nxt
                head = states.new(hubs[t + 1], mc, gauges[t])
                arcs.add(tail=prev, head=head, **ride)
                prev = head
            arcs.add(
                tail=prev, head=_landing(states, ctx, hubs[j], mc, gauges[j - 1]), kind=ALIGHT,
                hub=hubs[j], mode=mc, service=si,
            )  # fmt: skip
    return arrivals


def _export(ctx: _Ctx, h: int) -> tuple[float, float]:
    """USD and hours of putting a box on a ship at hub ``h``: the port's export figures, the
    cost model's export clearance at a Chinese seaport without them, else nothing."""
    fig = ctx.static.ports.get(h)
    if fig is not None:
        return fig[1], fig[0]
    if ctx.static.export_port[h]:
        return ctx.costs.port_export_clearance_usd, ctx.costs.port_export_clearance_hours
    return 0.0, 0.0


def _handling(ctx: _Ctx, h: int, ms: int, mt: int) -> tuple[float, float]:
    """USD and hours of moving a box from mode ``ms`` to ``mt`` at hub ``h``."""
    st, costs = ctx.static, ctx.costs
    water = ms in _WATER or mt in _WATER
    default = costs.port_transfer_usd if water else costs.transfer_usd
    handling, dwell = st.handling[h], st.dwell[h]
    return (
        handling if handling is not None else default,
        dwell if dwell is not None else costs.transfer_hours,
    )


def _cleared_arcs(
    arcs: _Arcs, states: _States, ctx: _Ctx, runs: list[_Run], arrivals: list[list[int]]
) -> None:
    """A service from an inland port that clears for seaports (single declaration,
    inspection and release) puts its boxes on a ship at those ports without the export
    clearance there: the fee is paid inland, and of its hours only those the wait for the
    train does not cover."""
    st, costs = ctx.static, ctx.costs
    for run, arrive in zip(runs, arrivals, strict=True):
        ports = st.clears_for[run.hubs[0]]
        if not ports or run.hubs[0] not in run.stops:
            continue
        per_week = float(st.services[run.service]["departures_per_week"])
        wait = costs.wait_fraction * WEEK_HOURS / per_week
        for h, on_board in zip(run.hubs[1:], arrive, strict=True):
            if h not in ports or h not in run.stops:
                continue
            usd, hours = _handling(ctx, h, MODE_CODE[run.mode], _SEA)
            xu, xh = _export(ctx, h)
            arcs.add(
                tail=on_board, head=states.get(h, _SEA, 0), kind=TRANSFER, hub=h, mode=_SEA,
                service=run.service, usd=usd + xu, hours=hours + max(0.0, xh - wait),
            )  # fmt: skip


def _transfer_arcs(arcs: _Arcs, states: _States, ctx: _Ctx) -> None:
    """Between the hub states of one hub: a change of mode or of rail gauge. At a seaport a
    box leaves the ship side for land only from the quay (:func:`_port_arcs`)."""
    by_hub: dict[int, list[tuple[int, int, int]]] = {}
    for (h, mc, gauge, role, _), s in states.key.items():
        if role == HUB:
            by_hub.setdefault(h, []).append((s, mc, gauge))
    for h, members in by_hub.items():
        for s, ms, _ in members:
            for t, mt, _ in members:
                if s == t or (ms == _SEA and ctx.static.seaport[h]):
                    continue  # off a ship at a seaport only through the quay (import)
                if ms == mt:  # rail, two gauges
                    usd, hours = _gauge_cost(ctx, h)
                    arcs.add(tail=s, head=t, kind=GAUGE, hub=h, mode=mt, usd=usd, hours=hours)
                    continue
                usd, hours = _handling(ctx, h, ms, mt)
                if mt == _SEA:
                    xu, xh = _export(ctx, h)
                    usd, hours = usd + xu, hours + xh
                arcs.add(tail=s, head=t, kind=TRANSFER, hub=h, mode=mt, usd=usd, hours=hours)


def _attach_arcs(arcs: _Arcs, states: _States, ctx: _Ctx, n_hubs: int) -> None:
    """From each hub's source to its hub states, and from them to its sink. At a seaport a
    box that starts on the quay for a ship pays the port's export process (a ``port`` arc),
    and one that arrives by ship leaves through import (see :func:`_port_arcs`), not here."""
    n_states = len(states.hub)
    for (h, mc, _, role, _), s in states.key.items():
        if role != HUB:
            continue
        if mc == _SEA and ctx.static.seaport[h]:
            xu, xh = _export(ctx, h)
            arcs.add(tail=n_states + h, head=s, kind=PORT, hub=h, mode=_SEA, usd=xu, hours=xh)
            continue
        arcs.add(tail=n_states + h, head=s, kind=ATTACH, hub=h)
        arcs.add(tail=s, head=n_states + n_hubs + h, kind=ATTACH, hub=h)


def _components(a: dict[str, NDArray[Any]], costs: CostModel) -> NDArray[np.float64]:
    """Split each arc's cost into the components the sensitivity analysis reweights."""
    out = np.zeros((len(COMPONENTS), a["kind"].size))
    default_usd = np.zeros(a["kind"].size)
    for code, mode in enumerate(MODES):
        sel = a["mode"] == code
        out[code, sel] = a["km_default"][sel]
        default_usd[sel] = a["km_default"][sel] * costs.tariff_usd_per_teu_km[mode]
    n = len(MODES)
    out[n] = a["usd"] - default_usd + a["x_usd"]
    out[n + 1] = a["hours"] + a["x_hours"] - a["border_hours"]
    out[n + 2] = a["border_hours"]
    out[n + 3] = a["co2"]
    out[n + 4] = a["km"]
    return out


def _context(net: Network, costs: CostModel, scenario: Scenario | None) -> _Ctx:
    nodes, edges = net._nodes, net._edges
    closure = resolve_closures(net, scenario)
    border_hours: dict[str, float] = {}
    if scenario is not None:
        for name, h in scenario.border_hours:
            try:
                border_hours[net.hub_id(name)] = h
            except NodeNotFound as exc:
                raise DataError(f"Scenario {scenario.name!r}: border_hours: {exc}") from None
    open_planned = scenario is not None and scenario.open_planned
    static = _static(net)
    active = static.operational | open_planned
    active |= edges.index.isin(list(closure.opened))
    active &= ~edges.index.isin(list(closure.links))
    active &= ~edges["from"].isin(list(closure.hubs)) & ~edges["to"].isin(list(closure.hubs))
    active = np.asarray(active, dtype=bool)
    cross_h, cross_u = _crossings(nodes, border_hours)
    base_h, _ = _crossings(nodes, {})
    return _Ctx(
        net, costs, static, active, dict(closure.tariffs), cross_h, cross_u, base_h,
        closure, {h: i for i, h in enumerate(nodes.index)}, open_planned,
        scenario is None or scenario.inland_clearance,
        {list(nodes.index).index(h): v for h, v in border_hours.items()},
        {static.link_index[x]: f for x, f in closure.hours_factor},
    )  # fmt: skip


def compile_graph(net: Network, costs: CostModel, scenario: Scenario | None) -> CompiledGraph:
    """Build the state-expanded graph (uncached; see :func:`compiled`)."""
    ctx = _context(net, costs, scenario)
    hub_ids = tuple(net._nodes.index)
    states, arcs = _States(), _Arcs()
    runs = _service_runs(ctx)
    run_hours, split = _run_hours(ctx, runs)
    _link_arcs(arcs, states, ctx, _covered(runs, run_hours, split))
    _unscheduled_arcs(arcs, states, ctx)
    pooled = _pooled_departures(ctx, runs)
    arrivals = _service_arcs(arcs, states, ctx, runs, run_hours, split, pooled)
    if ctx.inland_clearance:
        _cleared_arcs(arcs, states, ctx, runs, arrivals)
    _port_arcs(arcs, states, ctx, len(hub_ids))
    _transfer_arcs(arcs, states, ctx)
    _attach_arcs(arcs, states, ctx, len(hub_ids))
    a = arcs.arrays()
    _fresh_drivers(a, states)
    return _assemble(net, costs, scenario, ctx, states, a)


def _fresh_drivers(a: dict[str, NDArray[Any]], states: _States) -> None:
    """A box put on a truck, where it starts or off another mode, leaves with a fresh
    driver: the arcs that hand a box to a hub's road state (from the hub's source, a
    transfer, a port process) go to the hub's departure state instead; trucks arriving
    (links into a dead end, attach arcs from clock states) stay, so a truck cannot stop
    at a hub and leave again without its rest."""
    road = MODE_CODE["road"]
    depart = {
        states.key[(h, road, 0, HUB, -1)]: s
        for (h, mc, _, role, k), s in states.key.items()
        if role == ROAD_CLOCK and k == 0
    }
    if not depart:
        return
    n_states = len(states.hub)
    old = np.fromiter(depart, dtype=np.int64)
    new = np.fromiter(depart.values(), dtype=np.int64)
    handed = (a["kind"] == TRANSFER) | (a["kind"] == PORT)
    handed |= (a["kind"] == ATTACH) & (a["tail"] >= n_states)  # from the hub's source
    hit = np.isin(a["head"], old) & handed
    order = np.argsort(old)
    a["head"][hit] = new[order][np.searchsorted(old[order], a["head"][hit])]


def hub_handlings(
    kind: NDArray[np.int8], tail: NDArray[Any], head: NDArray[Any], state_mode: NDArray[Any]
) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Per arc, the index in ``emissions.HUB_KINDS`` of the handling it is (-1: none) and
    how many lifts it counts: a seaport's export, import (one) or transshipment (two: off
    one ship, onto the next; ``port`` arcs), a change of mode at a hub (by the modes it
    joins), a break of gauge. Where the model charges no handling, none is counted: the
    loading of a train, barge or aircraft at the hub a trip starts from (or unloading
    where it ends) is outside the model's costs and emissions alike."""
    from corridor.emissions import HUB_KINDS, hub_kind

    n_states = state_mode.shape[0]
    out = np.full(kind.shape, -1, dtype=np.int8)
    lifts = np.zeros(kind.shape, dtype=np.int8)
    port = kind == PORT
    out[port] = HUB_KINDS.index("seaport")
    lifts[port] = np.where((tail[port] < n_states) & (head[port] < n_states), 2, 1)
    gauge = kind == GAUGE
    out[gauge] = HUB_KINDS.index("gauge_change")
    lifts[gauge] = 1
    for a in np.flatnonzero(kind == TRANSFER).tolist():
        pair = (MODES[state_mode[tail[a]]], MODES[state_mode[head[a]]])
        out[a] = HUB_KINDS.index(hub_kind(pair))
        lifts[a] = 1
    return out, lifts


def _emissions(
    net: Network,
    costs: CostModel,
    scenario: Scenario | None,
    a: dict[str, NDArray[Any]],
    states: _States,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Well-to-wheel and tank-to-wheel kg CO2e per arc (ISO 14083, :mod:`corridor.emissions`):
    legs by their link's vehicle and energy, handlings by their kind of hub. A cost model
    with flat ``co2_kg_per_tkm`` figures per mode uses those on the legs instead (as WTW;
    TTW is then NaN: flat figures have no split) and counts no hub."""
    from corridor.emissions import HUB_KINDS, hub_factor, link_factors

    travel = (a["kind"] == LINK) | (a["kind"] == RIDE)
    li = np.where(travel, a["link"], 0)
    wtw = np.zeros(a["kind"].size)
    ttw = np.zeros(a["kind"].size)
    if costs.co2_kg_per_tkm is not None:
        per_mode = np.array([costs.co2_kg_per_teu_km(m) for m in MODES])
        wtw[travel] = a["km"][travel] * per_mode[a["mode"][travel]]
        return wtw, np.full(wtw.shape, np.nan)
    f = link_factors(net, costs.load_t_per_teu, scenario)
    wtw[travel] = a["km"][travel] * f.wtw[li[travel]]
    ttw[travel] = a["km"][travel] * f.ttw[li[travel]]
    kinds, lifts = hub_handlings(
        a["kind"], a["tail"], a["head"], np.asarray(states.mode, dtype=np.int64)
    )
    for k, name in enumerate(HUB_KINDS):
        sel = kinds == k
        fig = hub_factor(name, costs.load_t_per_teu) if sel.any() else None
        if fig is not None:
            wtw[sel], ttw[sel] = fig[0] * lifts[sel], fig[1] * lifts[sel]
    return wtw, ttw


def _assemble(
    net: Network,
    costs: CostModel,
    scenario: Scenario | None,
    ctx: _Ctx,
    states: _States,
    cols: dict[str, NDArray[Any]],
) -> CompiledGraph:
    """Sort the arcs by tail into CSR arrays and total each criterion."""
    hub_ids = tuple(net._nodes.index)
    n = len(states.hub) + 2 * len(hub_ids)
    order = np.argsort(cols["tail"], kind="stable")
    a = {k: v[order] for k, v in cols.items()}
    # a scenario that shortens a process a published transit time already holds (a border
    # faster than the data's) takes the saving off the ride, never below zero hours
    x_raw = a["x_hours"].copy()
    x_hours = np.maximum(a["x_hours"], -a["hours"])
    a["border_hours"] = np.where(
        a["border_hours"] != 0.0, a["border_hours"] + (x_hours - a["x_hours"]), 0.0
    )
    a["x_hours"] = x_hours
    a["co2"], a["co2_ttw"] = _emissions(net, costs, scenario, a, states)
    usd = a["usd"] + a["x_usd"]
    hours = a["hours"] + a["x_hours"]
    gen = (
        usd
        + costs.value_of_time_usd_per_hour * hours
        + costs.carbon_price_usd_per_t * a["co2"] / 1000.0
    )
    criteria = np.vstack([usd, hours, a["km"], a["co2"], gen]).astype(FLOAT)
    if criteria.size and not (np.isfinite(criteria).all() and (criteria >= 0).all()):
        raise DataError(
            "compiled arc costs must be finite and >= 0; check the cost model and link data"
        )
    return CompiledGraph(
        net=net,
        costs=costs,
        scenario=scenario,
        indptr=csr_indptr(a["tail"], n),
        indices=a["head"].astype(INDEX),
        tail=a["tail"].astype(INDEX),
        criteria=criteria,
        kind=a["kind"],
        link=a["link"],
        forward=a["forward"],
        hub=a["hub"],
        arc_mode=a["mode"],
        service=a["service"],
        wait=a["wait"],
        td_shift=a["td_shift"],
        cross_usd=a["x_usd"],
        cross_hours=a["x_hours"],
        state_hub=np.asarray(states.hub, dtype=np.int32),
        state_mode=np.asarray(states.mode, dtype=np.int8),
        state_gauge=np.asarray(states.gauge, dtype=np.int32),
        state_role=np.asarray(states.role, dtype=np.int8),
        hub_ids=hub_ids,
        hub_index={h: i for i, h in enumerate(hub_ids)},
        link_ids=tuple(net._edges.index),
        link_line_key=ctx.static.line_keys,
        service_ids=tuple(net._services.index),
        closure=ctx.closure,
        components=_components(a, costs),
        co2_ttw=a["co2_ttw"],
        x_parts=np.column_stack([a[h] for h, _ in X_PARTS]).astype(np.int32),
        x_base=np.column_stack([a[b] for _, b in X_PARTS]).astype(FLOAT),
        run_hours=a["hours"],
        x_raw=x_raw,
    )


@lru_cache(maxsize=64)
def compiled(net: Network, costs: CostModel, scenario: Scenario | None) -> CompiledGraph:
    """The compiled graph for (network, cost model, scenario), built once and cached."""
    return compile_graph(net, costs, scenario)


def border_deltas(g: CompiledGraph, hours: Mapping[int, float]) -> NDArray[np.float64]:
    """Per arc, the hours a scenario's ``border_hours`` (hub index -> hours of its crossing
    processes) adds to ``g``, compiled without it: each process at one of those hubs takes
    the new hours instead of the data's, and an arc's crossing hours stay >= minus its
    running hours, as when the scenario is compiled (:func:`_assemble`).

    Examples
    --------
    >>> import corridor as cr
    >>> from corridor.costs import CostModel
    >>> net = cr.load_network()
    >>> g = compiled(net, CostModel(), None)
    >>> d = border_deltas(g, {g.hub_index["mohan"]: 40.0})
    >>> bool(d.max() > 0), bool((d != 0).sum() < 50)
    (True, True)
    """
    m = g.x_parts.shape[0]
    if not hours:
        return np.zeros(m)
    new = np.full(g.n_hubs + 1, np.nan)  # the last slot stands for "no process" (-1)
    for h, v in hours.items():
        new[h] = v
    parts = np.where(g.x_parts < 0, g.n_hubs, g.x_parts)
    change = new[parts] - g.x_base
    raw = g.x_raw + np.where(np.isnan(change), 0.0, change).sum(axis=1)
    out: NDArray[np.float64] = np.maximum(raw, -g.run_hours) - np.maximum(g.x_raw, -g.run_hours)
    return out
