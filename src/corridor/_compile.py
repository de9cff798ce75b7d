"""Compile a Network, a CostModel and a Scenario into a state-expanded CSR graph.

Each hub is split into one *state* per mode it serves (rail once per gauge). Links become
arcs between states of the same mode; transfer arcs join the states of a hub (handling cost
and dwell), gauge-change arcs join rail states of different gauges, and crossing costs
(borders, locks, canals) ride on the arcs that enter the hub. Two virtual nodes per hub,
a *source* with arcs to all its states and a *sink* with arcs from them, let a query start
or end in any state. Arrays only from here on down: the kernels never see a name.
"""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor import _kernels
from corridor._config import FLOAT, INDEX
from corridor._errors import DataError, NodeNotFound
from corridor._names import normalize
from corridor._schema import MODES
from corridor.costs import CRITERIA, CostModel
from corridor.network import Network
from corridor.scenario import Scenario

LINK, TRANSFER, GAUGE, ATTACH = 0, 1, 2, 3
MODE_CODE = {m: i for i, m in enumerate(MODES)}
_WATER = {MODE_CODE["sea"], MODE_CODE["inland_waterway"]}


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
    for name in scenario.close:
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
                f"Scenario {scenario.name!r}: nothing named {name!r} to close: no hub, line "
                f"or link has that name{hint}"
            ) from None
    opened: set[str] = set()
    for name in scenario.open:
        found = _links_named(net, name, by_line)
        if found is None:
            raise DataError(f"Scenario {scenario.name!r}: open: no line or link named {name!r}")
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
    return Closure(
        frozenset(hubs), frozenset(links), frozenset(opened), tuple(sorted(tariffs.items()))
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
    cross_usd: NDArray[np.float64]
    cross_hours: NDArray[np.float64]
    state_hub: NDArray[np.int32]
    state_mode: NDArray[np.int8]
    state_gauge: NDArray[np.int32]
    hub_ids: tuple[str, ...]
    hub_index: dict[str, int]
    link_ids: tuple[str, ...]
    link_line_key: NDArray[np.object_]
    closure: Closure
    #: (len(COMPONENTS), m): the parts the sensitivity analysis reweights per sample
    components: NDArray[np.float64]
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def n_states(self) -> int:
        return int(self.state_hub.shape[0])

    @property
    def n_hubs(self) -> int:
        return len(self.hub_ids)

    @property
    def n_nodes(self) -> int:
        return int(self.indptr.shape[0]) - 1

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

    def workspace(self) -> tuple[NDArray[Any], ...]:
        """This thread's clean search workspace (see :func:`corridor._kernels.new_workspace`)."""
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = _kernels.new_workspace(self.n_nodes, False)
            self._local.ws = ws
        return tuple(ws)


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


def _components(
    kind: NDArray[np.int8],
    link: NDArray[np.int32],
    mode: NDArray[np.int8],
    hub: NDArray[np.int32],
    usd: NDArray[np.float64],
    hours: NDArray[np.float64],
    x_usd: NDArray[np.float64],
    x_hours: NDArray[np.float64],
    km: NDArray[np.float64],
    co2: NDArray[np.float64],
    edges: pd.DataFrame,
    line_tariff: dict[str, float],
    border: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Split each arc's cost into the components the sensitivity analysis reweights."""
    m = kind.shape[0]
    out = np.zeros((len(COMPONENTS), m))
    is_link = kind == LINK
    own = np.array(
        [
            (i in line_tariff) or not math.isnan(float(t))
            for i, t in zip(edges.index, edges["tariff_usd_per_teu_km"], strict=True)
        ],
        dtype=bool,
    )
    default = is_link & ~own[np.where(is_link, link, 0)]
    for code in range(len(MODES)):
        sel = default & (mode == code)
        out[code, sel] = km[sel]
    at_border = border[hub] & is_link
    n = len(MODES)
    out[n] = np.where(default, 0.0, usd) + x_usd
    out[n + 1] = hours + np.where(at_border, 0.0, x_hours)
    out[n + 2] = np.where(at_border, x_hours, 0.0)
    out[n + 3] = co2
    out[n + 4] = km
    return out


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
    tariff: list[float | None]
    bidirectional: list[bool]
    operational: NDArray[np.bool_]
    handling: list[float | None]
    dwell: list[float | None]
    gauge_usd: list[float | None]
    gauge_hours: list[float | None]
    line_keys: NDArray[np.object_]


_STATIC: weakref.WeakKeyDictionary[Network, _Static] = weakref.WeakKeyDictionary()


def _static(net: Network) -> _Static:
    found = _STATIC.get(net)
    if found is not None:
        return found
    nodes, edges = net._nodes, net._edges
    index = {h: i for i, h in enumerate(nodes.index)}
    modes = [str(m) for m in edges["mode"]]

    def nums(frame: pd.DataFrame, col: str) -> list[float | None]:
        return [_num(v) for v in frame[col].tolist()]

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
        tariff=nums(edges, "tariff_usd_per_teu_km"),
        bidirectional=[bool(x) for x in edges["bidirectional"]],
        operational=(edges["status"] == "operational").to_numpy(),
        handling=nums(nodes, "handling_usd"),
        dwell=nums(nodes, "dwell_hours"),
        gauge_usd=nums(nodes, "gauge_change_usd"),
        gauge_hours=nums(nodes, "gauge_change_hours"),
        line_keys=np.asarray([normalize(x) for x in edges["line"]], dtype=object),
    )
    _STATIC[net] = st
    return st


def compile_graph(net: Network, costs: CostModel, scenario: Scenario | None) -> CompiledGraph:
    """Build the state-expanded graph (uncached; see :func:`compiled`)."""
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
    hub_ids = tuple(nodes.index)
    hub_index = {h: i for i, h in enumerate(hub_ids)}
    cross_h, cross_u = _crossings(nodes, border_hours)

    static = _static(net)
    active = static.operational | open_planned
    active |= edges.index.isin(list(closure.opened))
    active &= ~edges.index.isin(list(closure.links))
    active &= ~edges["from"].isin(list(closure.hubs)) & ~edges["to"].isin(list(closure.hubs))

    # states: (hub, mode, gauge)
    state_key: dict[tuple[int, int, int], int] = {}
    s_hub: list[int] = []
    s_mode: list[int] = []
    s_gauge: list[int] = []

    def state(h: int, mode: int, gauge: int) -> int:
        key = (h, mode, gauge)
        if key not in state_key:
            state_key[key] = len(s_hub)
            s_hub.append(h)
            s_mode.append(mode)
            s_gauge.append(gauge)
        return state_key[key]

    rows: list[
        tuple[int, int, int, int, bool, int, int, float, float, float, float, float, float]
    ] = []
    # (tail, head, kind, link, forward, hub, mode, usd, hours, km, co2, x_usd, x_hours)
    line_tariff = dict(closure.tariffs)
    for li in np.flatnonzero(active).tolist():
        ident, mode = static.ids[li], static.modes[li]
        mc = MODE_CODE[mode]
        gauge = static.gauges[li]
        a, b = static.a[li], static.b[li]
        sa, sb = state(a, mc, gauge), state(b, mc, gauge)
        km = static.km[li]
        transit, speed = static.transit[li], static.speed[li]
        tariff = line_tariff.get(ident, static.tariff[li])
        hours = (
            transit
            if transit is not None
            else km / (speed if speed is not None else costs.speed_kmh[mode])
        )
        usd = km * (tariff if tariff is not None else costs.tariff_usd_per_teu_km[mode])
        co2 = km * costs.co2_kg_per_teu_km(mode)
        rows.append((sa, sb, LINK, li, True, b, mc, usd, hours, km, co2, cross_u[b], cross_h[b]))
        if static.bidirectional[li]:
            rows.append(
                (sb, sa, LINK, li, False, a, mc, usd, hours, km, co2, cross_u[a], cross_h[a])
            )

    n_states = len(s_hub)
    by_hub: dict[int, list[int]] = {}
    for s, h in enumerate(s_hub):
        by_hub.setdefault(h, []).append(s)
    for h, states in by_hub.items():
        handling, dwell = static.handling[h], static.dwell[h]
        g_usd, g_hours = static.gauge_usd[h], static.gauge_hours[h]
        for s in states:
            for t in states:
                if s == t:
                    continue
                if s_mode[s] == s_mode[t]:  # rail, two gauges
                    usd = g_usd if g_usd is not None else costs.gauge_change_usd
                    hours = g_hours if g_hours is not None else costs.gauge_change_hours
                    rows.append(
                        (s, t, GAUGE, -1, True, h, s_mode[t], usd, hours, 0.0, 0.0, 0.0, 0.0)
                    )
                else:
                    water = s_mode[s] in _WATER or s_mode[t] in _WATER
                    default = costs.port_transfer_usd if water else costs.transfer_usd
                    usd = handling if handling is not None else default
                    hours = dwell if dwell is not None else costs.transfer_hours
                    rows.append(
                        (s, t, TRANSFER, -1, True, h, s_mode[t], usd, hours, 0.0, 0.0, 0.0, 0.0)
                    )
    n_hubs = len(hub_ids)
    for s, h in enumerate(s_hub):
        rows.append((n_states + h, s, ATTACH, -1, True, h, -1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
        rows.append(
            (s, n_states + n_hubs + h, ATTACH, -1, True, h, -1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        )

    n = n_states + 2 * n_hubs
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 13
    tail = np.asarray(cols[0], dtype=np.int64)
    order = np.argsort(tail, kind="stable")

    def arr(i: int, dtype: Any) -> NDArray[Any]:
        return np.asarray(cols[i], dtype=dtype)[order]

    usd_all = arr(7, FLOAT) + arr(11, FLOAT)
    hours_all = arr(8, FLOAT) + arr(12, FLOAT)
    km_all = arr(9, FLOAT)
    co2_all = arr(10, FLOAT)
    gen = (
        usd_all
        + costs.value_of_time_usd_per_hour * hours_all
        + costs.carbon_price_usd_per_t * co2_all / 1000.0
    )
    criteria = np.vstack([usd_all, hours_all, km_all, co2_all, gen]).astype(FLOAT)
    if criteria.size and not (np.isfinite(criteria).all() and (criteria >= 0).all()):
        raise DataError(
            "compiled arc costs must be finite and >= 0; check the cost model and link data"
        )
    kind, link, hub = arr(2, np.int8), arr(3, np.int32), arr(5, np.int32)
    components = _components(
        kind, link, arr(6, np.int8), hub, arr(7, FLOAT), arr(8, FLOAT), arr(11, FLOAT),
        arr(12, FLOAT), km_all, co2_all, edges, line_tariff, (nodes["kind"] == "border").to_numpy(),
    )  # fmt: skip
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, tail[order] + 1, 1)
    return CompiledGraph(
        net=net,
        costs=costs,
        scenario=scenario,
        indptr=np.cumsum(indptr).astype(INDEX),
        indices=arr(1, INDEX),
        tail=tail[order].astype(INDEX),
        criteria=criteria,
        kind=kind,
        link=link,
        forward=arr(4, bool),
        hub=hub,
        arc_mode=arr(6, np.int8),
        cross_usd=arr(11, FLOAT),
        cross_hours=arr(12, FLOAT),
        state_hub=np.asarray(s_hub, dtype=np.int32),
        state_mode=np.asarray(s_mode, dtype=np.int8),
        state_gauge=np.asarray(s_gauge, dtype=np.int32),
        hub_ids=hub_ids,
        hub_index=hub_index,
        link_ids=tuple(edges.index),
        link_line_key=static.line_keys,
        closure=closure,
        components=components,
    )


@lru_cache(maxsize=64)
def compiled(net: Network, costs: CostModel, scenario: Scenario | None) -> CompiledGraph:
    """The compiled graph for (network, cost model, scenario), built once and cached."""
    return compile_graph(net, costs, scenario)
