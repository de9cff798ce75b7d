"""Routing API: best routes between hubs by money, time, distance, CO2 or generalized cost."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from shapely.geometry import LineString

from corridor import _kernels
from corridor._checks import check_names, check_network, shown
from corridor._compile import (
    ATTACH,
    BOARD,
    GAUGE,
    MODE_CODE,
    PORT,
    TRANSFER,
    WEEK_HOURS,
    CompiledGraph,
    _static,
    compiled,
    csr_indptr,
    effective_costs,
)
from corridor._errors import DataError, NodeNotFound, NoRouteError
from corridor._names import normalize
from corridor._schema import MODES
from corridor.costs import CRITERIA, CostModel, Criterion
from corridor.csgraph import n_chunks
from corridor.network import Network
from corridor.scenario import Scenario

__all__ = ["Route", "route", "route_matrix"]

_DEFAULT_COSTS = CostModel()
_LEG_COLUMNS = [
    "kind", "from", "to", "mode", "line", "link", "service", "km", "hours", "wait_hours", "usd",
    "co2_kg",
]  # fmt: skip


@dataclass(frozen=True, eq=False)
class Route:
    """One route between two hubs, as a value.

    Attributes
    ----------
    origin, destination : str
        Hub ids.
    by : str
        The criterion the route minimises.
    total_usd, total_hours, total_km, total_co2_kg, total_generalized : float
        Per TEU; the generalized cost uses the cost model's value of time and carbon price.
    hubs : tuple of str
        Hub ids in travel order (computed when first read, as the counts below).
    transfers : int
        Changes of mode.
    gauge_changes, border_crossings : int
    departure, arrival : datetime or None
        Set by a timetable search (``route(..., depart=...)``), else None.
    """

    origin: str
    destination: str
    by: str
    total_usd: float
    total_hours: float
    total_km: float
    total_co2_kg: float
    total_generalized: float
    _graph: CompiledGraph = field(repr=False)
    _arcs: NDArray[np.int64] = field(repr=False)
    #: with a timetable search (``route(..., depart=...)``): when the box leaves the origin
    #: and reaches the destination
    departure: datetime | None = None
    arrival: datetime | None = None
    #: per arc: (start hour, end hour, wait hours) from the timetable search
    _times: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None = field(
        default=None, repr=False
    )

    @property
    def total_days(self) -> float:
        """``total_hours / 24``."""
        return self.total_hours / 24.0

    @cached_property
    def _counts(self) -> tuple[tuple[str, ...], int, int, int]:
        """Hubs in order, transfers, gauge changes and charged border crossings."""
        g = self._graph
        arcs = self._arcs
        kinds = g.kind[arcs]
        hubs: list[str] = [self.origin]
        crossings = 0
        st = _static(g.net)
        country = st.hub_countries
        for a in arcs[g.is_travel[arcs]]:
            h = g.hub_ids[g.hub[a]]
            if h != hubs[-1]:
                hubs.append(h)
            li = int(g.link[a])
            charged = g.cross_usd[a] > 0 or g.cross_hours[a] > 0
            if charged and (  # a land link joining two countries, or entering a border hub
                (country[st.a[li]] != country[st.b[li]] and st.modes[li] in ("rail", "road"))
                or st.border[g.hub[a]]
            ):
                crossings += 1
        return (
            tuple(hubs),
            int((kinds == TRANSFER).sum()),
            int((kinds == GAUGE).sum()),
            crossings,
        )

    @property
    def hubs(self) -> tuple[str, ...]:
        """Hub ids in travel order."""
        return self._counts[0]

    @property
    def transfers(self) -> int:
        """Changes of mode."""
        return self._counts[1]

    @property
    def gauge_changes(self) -> int:
        """Changes of rail gauge."""
        return self._counts[2]

    @property
    def border_crossings(self) -> int:
        """Border crossings charged on the route (a land link joining two countries, or
        entering a border hub)."""
        return self._counts[3]

    @property
    def modes(self) -> tuple[str, ...]:
        """Modes used, in order of first use."""
        g = self._graph
        seen: list[str] = []
        travel = g.is_travel
        for a in self._arcs:
            if travel[a]:
                m = MODES[g.arc_mode[a]]
                if m not in seen:
                    seen.append(m)
        return tuple(seen)

    @property
    def lines(self) -> tuple[str, ...]:
        """Lines used, in order, each once."""
        names = _static(self._graph.net).line_names
        out: list[str] = []
        travel = self._graph.is_travel
        for a in self._arcs:
            if travel[a]:
                line = names[self._graph.link[a]]
                if line not in out:
                    out.append(line)
        return tuple(out)

    @property
    def path(self) -> str:
        """The route in brief: each run of one mode and the hub where it ends.

        Examples
        --------
        >>> import corridor as cr
        >>> cr.route(cr.load_network(), "Kunming", "Vientiane", modes=["rail"]).path
        'rail to Vientiane'
        """
        g = self._graph
        names = _static(g.net).hub_names
        runs: list[tuple[str, str]] = []
        travel = g.is_travel
        for a in self._arcs:
            if not travel[a]:
                continue
            mode = MODES[g.arc_mode[a]]
            end = names[g.hub[a]]
            if runs and runs[-1][0] == mode:
                runs[-1] = (mode, end)
            else:
                runs.append((mode, end))
        return " · ".join(f"{m.replace('_', ' ')} to {h}" for m, h in runs)

    @property
    def services(self) -> tuple[str, ...]:
        """Ids of the services ridden, in order, each once."""
        g = self._graph
        out: list[str] = []
        for a in self._arcs:
            si = int(g.service[a])
            if si >= 0 and g.service_ids[si] not in out:
                out.append(g.service_ids[si])
        return tuple(out)

    @property
    def wait_hours(self) -> float:
        """Hours spent waiting for departures (part of ``total_hours``)."""
        return float(self._waits().sum())

    def _waits(self) -> NDArray[np.float64]:
        """Wait hours per arc of the route: the timetable's, or the expected wait."""
        waits = self._graph.wait[self._arcs]
        if self._times is not None:
            waits = self._times[2]
        return np.asarray(waits, dtype=np.float64)

    @property
    def legs(self) -> pd.DataFrame:
        """One row per link travelled, wait for a departure, transfer, gauge change,
        crossing and port process (transshipment, import), in order. ``service`` names the
        service ridden (empty for road and for links no listed service runs);
        ``wait_hours`` is the part of ``hours`` spent waiting (0 where none)."""
        g = self._graph
        st = _static(g.net)
        services = g.net._services
        hub_ids = g.hub_ids
        travel = g.is_travel
        waits = self._waits()
        service_names = services["name"].tolist()
        hub_index = g.hub_index
        first_stops = [str(stops[0]) for stops in services["stops"]]
        rows: list[list[Any]] = []

        def service_of(a: int) -> str:
            si = int(g.service[a])
            return g.service_ids[si] if si >= 0 else ""

        for i, a in enumerate(self._arcs.tolist()):
            k = g.kind[a]
            usd, hours, km, co2 = (float(g.criteria[q, a]) for q in range(4))
            h = hub_ids[g.hub[a]]
            if travel[a]:
                li = g.link[a]
                a_hub, b_hub = hub_ids[st.a[li]], hub_ids[st.b[li]]
                if not g.forward[a]:
                    a_hub, b_hub = b_hub, a_hub
                xu, xh = float(g.cross_usd[a]), float(g.cross_hours[a])
                rows.append(
                    ["link", a_hub, b_hub, MODES[g.arc_mode[a]], st.line_names[li],
                     g.link_ids[li], service_of(a), km, hours - xh, 0.0, usd - xu, co2]
                )  # fmt: skip
                if xu > 0 or xh != 0:
                    hi, ti = int(g.hub[a]), hub_index[a_hub]
                    if st.hub_countries[ti] != st.hub_countries[hi] and st.modes[li] in (
                        "rail",
                        "road",
                        "inland_waterway",
                    ):
                        what = f"border crossing {st.hub_names[ti]} → {st.hub_names[hi]}"
                    elif st.hub_kinds[hi] == "border":
                        what = f"border crossing at {st.hub_names[hi]}"
                    else:
                        what = f"passage at {st.hub_names[hi]}"
                    rows.append(
                        ["crossing", h, h, "", what, None, service_of(a), 0.0, xh, 0.0, xu, 0.0]
                    )  # fmt: skip
            elif k == BOARD:
                si = int(g.service[a])
                if si < 0 and waits[i] == 0:
                    continue  # an unscheduled vehicle with no wait: nothing to show
                what = (
                    str(service_names[si])
                    if si >= 0
                    else f"next unscheduled {MODES[g.arc_mode[a]].replace('_', ' ')} departure"
                )
                w = float(waits[i])
                rows.append(
                    ["wait", h, h, MODES[g.arc_mode[a]], what, None, service_of(a), 0.0, w,
                     w, usd, 0.0]
                )  # fmt: skip
            elif k == TRANSFER:
                tail_mode = MODES[g.state_mode[g.tail[a]]]
                head_mode = MODES[g.state_mode[g.indices[a]]]
                si = int(g.service[a])
                note = f"export customs cleared at {first_stops[si]}, not here" if si >= 0 else ""
                rows.append(
                    ["transfer", h, h, f"{tail_mode}→{head_mode}", note, None, service_of(a),
                     0.0, hours, 0.0, usd, co2]
                )  # fmt: skip
            elif k == PORT:
                if int(g.tail[a]) >= g.n_states:
                    what = "export: dwell and customs"
                elif int(g.indices[a]) >= g.n_states:
                    what = "import: dwell and customs"
                else:
                    what = "transshipment"
                rows.append(
                    ["port", h, h, "sea", f"{what} at {st.hub_names[int(g.hub[a])]}", None, "",
                     0.0, hours, 0.0, usd, co2]
                )  # fmt: skip
            elif k == GAUGE:
                g_from, g_to = g.state_gauge[g.tail[a]], g.state_gauge[g.indices[a]]
                rows.append(
                    ["gauge_change", h, h, f"rail {g_from}→{g_to} mm", "", None,
                     service_of(a), 0.0, hours, 0.0, usd, co2]
                )  # fmt: skip
        df = pd.DataFrame(rows, columns=_LEG_COLUMNS)
        vot = g.costs.value_of_time_usd_per_hour
        df["generalized"] = (
            df["usd"] + vot * df["hours"] + g.costs.carbon_price_usd_per_t * df["co2_kg"] / 1000
        )
        return df

    @property
    def total_co2e_ttw_kg(self) -> float:
        """Tank-to-wheel kg CO2e per TEU (``total_co2_kg`` is well-to-wheel)."""
        return float(self._graph.co2_ttw[self._arcs].sum())

    def emissions(self) -> pd.DataFrame:
        """The route's emissions as ISO 14083:2023 and the GLEC Framework v3 count them: one
        row per transport chain element, a run of legs on one vehicle class (``kind`` leg)
        or a handling at a hub (``kind`` hub), with its vehicle class, energy, distance
        (``km`` in the network, ``km_adjusted`` with the mode's distance adjustment
        factor), tonne-km, intensity, well-to-wheel and tank-to-wheel kg CO2e per TEU and
        the data-quality tier (:mod:`corridor.emissions`). ``wtw_kg`` sums to
        :attr:`total_co2_kg`, ``ttw_kg`` to :attr:`total_co2e_ttw_kg`.

        Examples
        --------
        >>> import corridor as cr
        >>> r = cr.route(cr.load_network(), "Guiyang", "Duisburg", modes=["rail", "road"])
        >>> e = r.emissions()
        >>> sorted(set(e["kind"]))
        ['hub', 'leg']
        >>> bool(abs(e["wtw_kg"].sum() - r.total_co2_kg) < 1e-6)
        True
        """
        from corridor.emissions import element_table

        return element_table(self)

    def indicators(self) -> dict[str, float]:
        """The corridor performance indicators of CAREC's CPMM: speed without delay
        (km over hours moving), speed with delay (km over hours door to door), and the
        shares of time and cost at borders, transfers and waits
        (:func:`corridor.indicators.route_indicators`).

        Examples
        --------
        >>> import corridor as cr
        >>> r = cr.route(cr.load_network(), "Kunming", "Vientiane", modes=["rail"])
        >>> i = r.indicators()
        >>> i["speed_with_delay_kmh"] < i["speed_without_delay_kmh"]
        True
        """
        from corridor.indicators import route_indicators

        return route_indicators(self)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The legs with geometry: lines for links (in travel direction), points at hubs."""
        legs = self.legs
        g = self._graph
        geoms = []
        for _, row in legs.iterrows():
            if row["kind"] == "link":
                geom = g.net._edges.at[row["link"], "geometry"]
                if g.net._edges.at[row["link"], "from"] != row["from"]:
                    geom = LineString(list(geom.coords)[::-1])
            else:
                geom = g.net._nodes.at[row["from"], "geometry"]
            geoms.append(geom)
        return gpd.GeoDataFrame(legs, geometry=geoms, crs="EPSG:4326")

    def _summary(self) -> str:
        names = self._graph.net._nodes["name"]
        return (
            f"{names[self.origin]} → {names[self.destination]} (best by {self.by}): "
            f"{self.total_km:,.0f} km, {self.total_hours:,.1f} h ({self.total_days:.1f} days), "
            f"USD {self.total_usd:,.0f}, {self.total_co2_kg:,.0f} kg CO2 per TEU; "
            f"{self.transfers} transfer{'s' if self.transfers != 1 else ''}"
        )

    def __repr__(self) -> str:
        lines = " · ".join(self.lines)
        return f"<Route {self._summary()}; {lines}>"

    def _repr_html_(self) -> str:
        legs = self.legs
        table = legs.to_html(index=False, float_format=lambda x: f"{x:,.1f}", na_rep="")
        return f"<p><b>{self._summary()}</b></p>{table}"


def _check_by(by: Criterion | str, name: str = "by") -> Criterion:
    if not isinstance(by, str) or by not in CRITERIA:
        raise DataError(f"{name}={shown(by)} is not a criterion; use one of {', '.join(CRITERIA)}")
    return by


def _effective_costs(costs: CostModel | None, scenario: Scenario | None) -> CostModel:
    if scenario is not None and not isinstance(scenario, Scenario):
        raise DataError(
            f"scenario must be a corridor.Scenario, got {type(scenario).__name__} {shown(scenario)}"
        )
    if costs is not None and not isinstance(costs, CostModel):
        raise DataError(
            f"costs must be a corridor.CostModel, got {type(costs).__name__} {shown(costs)}"
        )
    return effective_costs(costs if costs is not None else _DEFAULT_COSTS, scenario)


#: most origin-destination pairs one route_matrix call answers (5 floats each)
MAX_MATRIX_CELLS = 10_000_000


def hub_arg(net: Network, value: object, name: str) -> str:
    """The hub id a hub argument names (``name`` is the parameter, for the error)."""
    if not isinstance(value, str):
        raise DataError(f"{name} must be a hub name (a string), got {shown(value)}")
    return net.hub_id(value)


def endpoints(net: Network, origin: object, destination: object) -> tuple[str, str]:
    """Check ``net`` and resolve the two hub arguments of a query: two different hubs."""
    check_network(net)
    o, d = hub_arg(net, origin, "origin"), hub_arg(net, destination, "destination")
    if o == d:
        raise DataError(
            f"origin and destination are the same hub ({o!r}): there is nothing to route"
        )
    return o, d


def _mask(
    g: CompiledGraph,
    by: Criterion,
    modes: Iterable[str] | None,
    avoid_hubs: Sequence[int],
    avoid_lines: Sequence[str],
) -> NDArray[np.float64]:
    """The weights of ``by`` with the arcs the query may not use set to ``inf``."""
    w = g.weights(by)
    if modes is None and not avoid_hubs and not avoid_lines:
        return w
    w = w.copy()
    if modes is not None:
        allowed = np.zeros(len(MODES) + 1, dtype=bool)
        allowed[-1] = True  # index -1: attach arcs
        for m in modes:
            allowed[MODE_CODE[m]] = True
        w[~allowed[g.arc_mode]] = np.inf
    if avoid_hubs:
        w[np.isin(g.hub, np.asarray(avoid_hubs)) & (g.kind != ATTACH)] = np.inf
    if avoid_lines:
        is_link = g.is_travel
        keys = g.link_line_key[np.where(is_link, g.link, 0)]
        w[is_link & np.isin(keys, np.asarray(list(avoid_lines), dtype=object))] = np.inf
    return w


def _parse_avoid(net: Network, avoid: Iterable[str] | None) -> tuple[list[str], list[str]]:
    """Split ``avoid`` into hub ids and normalised line names; raise on unknown names."""
    avoid = check_names("avoid", avoid)
    if not avoid:
        return [], []
    lines = set(_static(net).line_keys)
    hubs: list[str] = []
    line_keys: list[str] = []
    for name in avoid:
        key = normalize(name) if isinstance(name, str) else ""
        if key in lines:
            line_keys.append(key)
            continue
        try:
            hubs.append(net.hub_id(name))
        except NodeNotFound as exc:
            raise NodeNotFound(
                f"{name} (in avoid: no hub or line by that name)", exc.suggestions
            ) from None
    return hubs, line_keys


def _parse_modes(modes: Iterable[str] | None) -> tuple[str, ...] | None:
    if modes is None:
        return None
    out = tuple(
        m.strip().lower().replace("-", "_").replace(" ", "_") for m in check_names("modes", modes)
    )
    bad = [m for m in out if m not in MODES]
    if bad or not out:
        raise DataError(f"modes must be taken from {', '.join(MODES)}; got {shown(out)}")
    return out


def states_of(g: CompiledGraph, hub: int, mode: str | None = None) -> NDArray[np.int64]:
    """State nodes of a hub (of one mode, if given)."""
    mask = g.state_hub == hub
    if mode is not None:
        mask &= g.state_mode == MODE_CODE[mode]
    return np.flatnonzero(mask).astype(np.int64)


def layered(
    g: CompiledGraph, steps: Sequence[NDArray[np.int64]]
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]:
    """The graph copied once per step plus one; each step is a set of *arcs*, and a copy of
    each of step ``k``'s arcs leads from layer ``k`` into layer ``k + 1``: a path from layer
    0 to the last layer uses one arc of every step, in order. Returns ``(indptr, indices,
    tail, arc_of)``; ``arc_of[e]`` is the original arc of ``e``. Node ``v`` of copy ``k`` is
    ``v + k * n``.
    """
    n, m, n_layers = g.n_nodes, int(g.indices.size), len(steps) + 1
    if n_layers == 1:
        return g.indptr, g.indices, g.tail, np.arange(m, dtype=np.int64)
    step_arcs = [np.asarray(c, dtype=np.int64) for c in steps]
    trans_tail = np.concatenate([g.tail[c] + k * n for k, c in enumerate(step_arcs)])
    trans_head = np.concatenate([g.indices[c] + (k + 1) * n for k, c in enumerate(step_arcs)])
    offs = (np.arange(n_layers, dtype=np.int64) * n)[:, None]
    tails = np.concatenate([(g.tail[None, :] + offs).ravel(), trans_tail.astype(np.int64)])
    heads = np.concatenate([(g.indices[None, :] + offs).ravel(), trans_head.astype(np.int64)])
    arcs = np.concatenate([np.tile(np.arange(m, dtype=np.int64), n_layers), *step_arcs])
    order = np.argsort(tails, kind="stable")
    indptr = csr_indptr(tails, n_layers * n)
    return indptr, heads[order].astype(np.int32), tails[order].astype(np.int32), arcs[order]


def best_through(
    g: CompiledGraph,
    w: NDArray[np.float64],
    source: int,
    steps: Sequence[NDArray[np.int64]],
    target: int,
    first_leg: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64] | None, int]:
    """Best path from ``source`` to ``target`` using one arc of each step, in order.

    Exact: a single search over :func:`layered` copies of the graph weighs every choice of
    candidate. ``first_leg`` (optional) marks the arcs allowed before the first step.
    Returns the path's arcs in the original graph (attach arcs dropped), or ``None`` and
    the index of the first step that cannot be reached (``len(steps)`` if only the target
    cannot).
    """
    n = g.n_nodes
    indptr, indices, tail, arc_of = layered(g, steps)
    lay_w = w[arc_of] if steps else w
    if first_leg is not None and steps:
        lay_w = np.where((tail < n) & (indices < n) & ~first_leg[arc_of], np.inf, lay_w)
    final = target + len(steps) * n
    ws = _kernels.new_workspace(indptr.shape[0] - 1, False) if steps else g.workspace()
    cost, arcs = _kernels.shortest_path(indptr, indices, lay_w, tail, source, final, *ws)
    if cost == np.inf:
        if steps:  # a full search tells which step is out of reach
            dist, pred, origin, pos, _, _, touched = ws
            src = np.array([source], dtype=np.int64)
            nt = _kernels.dijkstra(indptr, indices, lay_w, src, -1, np.inf, *ws)
            reached = [
                bool(np.isfinite(dist[g.indices[c] + (k + 1) * n]).any())
                for k, c in enumerate(steps)
            ]
            _kernels.reset(nt, touched, dist, pred, origin, pos)
            if not all(reached):
                return None, reached.index(False)
        return None, len(steps)
    arcs = arc_of[arcs]
    return arcs[g.kind[arcs] != ATTACH], -1


def entering(g: CompiledGraph, states: NDArray[np.int64]) -> NDArray[np.int64]:
    """Arcs whose head is one of ``states`` (attach arcs excluded)."""
    hit = np.isin(g.indices, states) & (g.kind != ATTACH)
    return np.flatnonzero(hit).astype(np.int64)


def _stops_path(
    g: CompiledGraph, w: NDArray[np.float64], stops: Sequence[int]
) -> tuple[NDArray[np.int64] | None, int]:
    """Best path through the hubs ``stops`` in order (via hubs in any of their states,
    riding through on a service included)."""
    steps = [entering(g, states_of(g, h)) for h in stops[1:-1]]
    return best_through(g, w, g.source(stops[0]), steps, g.sink(stops[-1]))


def make_route(
    g: CompiledGraph, arcs: NDArray[np.int64], origin: str, destination: str, by: str
) -> Route:
    """The Route value of a path of arcs (hubs and counts are computed when first read)."""
    totals = g.criteria[:, arcs].sum(axis=1)
    return Route(
        origin=origin,
        destination=destination,
        by=by,
        total_usd=float(totals[0]),
        total_hours=float(totals[1]),
        total_km=float(totals[2]),
        total_co2_kg=float(totals[3]),
        total_generalized=float(totals[4]),
        _graph=g,
        _arcs=arcs,
    )


def _explain(
    net: Network,
    costs: CostModel,
    scenario: Scenario | None,
    by: Criterion,
    stops: Sequence[str],
    modes: tuple[str, ...] | None,
    avoid_hubs: list[int] | list[str],
    avoid_lines: list[str],
) -> str:
    """Say which constraint cut the network, by lifting them one at a time."""

    def reachable(
        scn: Scenario | None, mds: tuple[str, ...] | None, ah: Sequence[str], al: Sequence[str]
    ) -> bool:
        g = compiled(net, costs, scn)
        idx = [g.hub_index[s] for s in stops]
        w = _mask(g, by, mds, [g.hub_index[h] for h in ah], al)
        return _stops_path(g, w, idx)[0] is not None

    ah = [str(h) for h in avoid_hubs]
    plain = None
    if scenario is not None and scenario.close:
        plain = Scenario(
            f"{scenario.name} without closures",
            open=scenario.open,
            open_planned=scenario.open_planned,
        )
    # each active constraint, and the query with it lifted
    lifts: list[
        tuple[str, tuple[Scenario | None, tuple[str, ...] | None, list[str], list[str]]]
    ] = []
    if ah or avoid_lines:
        what = "the avoid list (" + ", ".join([*ah, *avoid_lines]) + ")"
        lifts.append((what, (scenario, modes, [], [])))
    if modes is not None:
        lifts.append(
            (f"the mode filter (only {', '.join(modes)})", (scenario, None, ah, avoid_lines))
        )
    if plain is not None and scenario is not None:
        what = f"scenario {scenario.name!r}, which closes {', '.join(scenario.close)}"
        lifts.append((what, (plain, modes, ah, avoid_lines)))
    alone = [what for what, args in lifts if reachable(*args)]
    if len(alone) == 1:
        return f"{alone[0]} cuts them apart"
    if alone:
        return " and ".join(alone) + " each cut them apart (lifting any one joins them)"
    if len(lifts) > 1 and reachable(plain or scenario, None, [], []):
        return " and ".join(what for what, _ in lifts) + " together cut them apart"
    opened = Scenario("all lines open", open_planned=True)
    if reachable(opened, None, [], []):
        return "only lines not yet open join them"
    return "the network does not join them"


def parse_depart(depart: object) -> datetime:
    """A departure as a naive datetime (local time at the origin), or DataError.

    Examples
    --------
    >>> parse_depart("2026-12-01T08:00")
    datetime.datetime(2026, 12, 1, 8, 0)
    """
    out: datetime | None = None
    if isinstance(depart, datetime):
        out = depart.replace(tzinfo=None)
    elif isinstance(depart, date):
        out = datetime(depart.year, depart.month, depart.day)
    elif isinstance(depart, str) and len(depart) < 64:
        with contextlib.suppress(ValueError):
            out = datetime.fromisoformat(depart.strip()).replace(tzinfo=None)
    if out is None:
        raise DataError(
            f"depart must be a date-time (a datetime or ISO 8601 text such as "
            f"'2026-12-01T08:00'), got {shown(depart)}"
        )
    if not DEPART_YEARS[0] <= out.year <= DEPART_YEARS[1]:
        raise DataError(
            f"depart must fall in the years {DEPART_YEARS[0]}-{DEPART_YEARS[1]}, got {out:%Y-%m-%d}"
        )
    return out


#: years a departure may fall in (a timetable search adds weeks of travel to it)
DEPART_YEARS = (1900, 2200)


def _timetable_of(
    g: CompiledGraph, arc_of: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The timetable of each arc of a layered graph (arc ``e`` is original ``arc_of[e]``)."""
    td_ptr, td_dep = g.timetable()
    counts = np.diff(td_ptr)[arc_of]
    ptr = np.zeros(arc_of.size + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    starts = np.repeat(td_ptr[arc_of] - ptr[:-1], counts)
    return ptr, td_dep[np.arange(ptr[-1]) + starts]


def _timed_route(
    g: CompiledGraph,
    w_hours: NDArray[np.float64],
    stops: Sequence[int],
    start: datetime,
    ids: tuple[str, str],
) -> Route | None:
    """Earliest arrival over the timetables (time-dependent Dijkstra), or None."""
    steps = [entering(g, states_of(g, h)) for h in stops[1:-1]]
    indptr, indices, tail, arc_of = layered(g, steps)
    ptr, dep = _timetable_of(g, arc_of)
    timed = np.diff(ptr) > 0
    # a timetabled boarding waits for its departure, not the expected wait
    hours = np.where(timed, w_hours[arc_of] - g.wait[arc_of], w_hours[arc_of])
    monday = datetime(start.year, start.month, start.day) - timedelta(days=start.weekday())
    t0 = (start - monday).total_seconds() / 3600.0
    source, target = g.source(stops[0]), g.sink(stops[-1]) + len(steps) * g.n_nodes
    ws = _kernels.new_workspace(indptr.shape[0] - 1, False) if steps else g.workspace()
    dist, pred, origin, pos, _, _, touched = ws
    arrival, nt = _kernels.earliest_arrival(
        indptr, indices, hours, tail, ptr, dep, WEEK_HOURS, source, t0, target, *ws
    )
    path = _kernels.path_edges(pred, tail, target) if np.isfinite(arrival) else None
    _kernels.reset(nt, touched, dist, pred, origin, pos)
    if path is None:
        return None
    starts, ends, waits = (np.empty(path.size) for _ in range(3))
    t = t0
    for i, e in enumerate(path.tolist()):
        d = _kernels.td_departure(dep[ptr[e] : ptr[e + 1]], WEEK_HOURS, t) if timed[e] else t
        a = int(arc_of[e])
        waits[i] = d - t if timed[e] else g.wait[a]
        starts[i], t = t, d + hours[e]
        ends[i] = t
    arcs = arc_of[path]
    keep = g.kind[arcs] != ATTACH
    r = make_route(g, arcs[keep], ids[0], ids[1], "hours")
    total = t - t0
    cm = g.costs
    return replace(
        r,
        total_hours=total,
        total_generalized=cm.generalized(r.total_usd, total, r.total_co2_kg),
        departure=start,
        arrival=monday + timedelta(hours=t),
        _times=(starts[keep], ends[keep], waits[keep]),
    )


def _tree_path(g: CompiledGraph, by: str, o: int, d: int) -> NDArray[np.int64] | None:
    """The best path from hub ``o`` to hub ``d`` read off the graph's hub trees (the same
    path a search finds), or None (no trees yet, or no path: the caller searches)."""
    trees = g.hub_trees(by)
    if trees is None:
        return None
    dist, pred = trees
    t = g.sink(d)
    if not np.isfinite(dist[o, t]):
        return None
    arcs = _kernels.path_edges(pred[o], g.tail, t)
    out: NDArray[np.int64] = arcs[g.kind[arcs] != ATTACH]
    return out


def route(
    net: Network,
    origin: str,
    destination: str,
    *,
    by: Criterion | None = None,
    via: Iterable[str] = (),
    avoid: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    depart: datetime | str | None = None,
) -> Route:
    """The best route between two hubs.

    Parameters
    ----------
    net : Network
    origin, destination : str
        Hub ids, names or aliases.
    by : {"generalized", "usd", "hours", "km", "co2", "p50", "p90", "p95"}, optional
        What to minimise: ``"generalized"`` by default, the generalized cost per TEU: USD +
        value of time (``CostModel.value_of_time_usd_per_hour``, USD 29.52 per TEU-hour by
        default: 1.3% of a USD 54,500 cargo a day) x hours + carbon price x t CO2; with
        ``depart``, arrival time (``"hours"``, the only criterion a timetable search takes).
        ``"p90"`` (``"p50"``, ``"p95"``): the route whose 90th-percentile door-to-door time
        is shortest (:mod:`corridor.reliability`), exact over a candidate set: the 8 fastest
        and the 8 cheapest (generalized cost) loopless routes by Yen's algorithm, each
        sampled 4,000 times with the same seed (common random numbers); not with ``via``
        or ``depart``.
    via : iterable of str
        Hubs to pass through, in order.
    avoid : iterable of str
        Hubs and line names not to use.
    modes : iterable of str, optional
        Only these modes (rail, road, sea, inland_waterway, air).
    costs : CostModel, optional
        The default :class:`~corridor.CostModel` if omitted.
    scenario : Scenario, optional
        Closures, opened lines and other costs; its cost model wins over ``costs``.
    depart : datetime or str, optional
        Leave the origin then (a datetime, or ISO 8601 text such as ``"2026-12-01T08:00"``;
        local time, one clock for the whole network) and search for the earliest arrival
        over the published departure weekdays and times (a time-dependent Dijkstra, exact
        because waiting never makes a later start arrive earlier). Services with no
        published weekdays, and links no service runs, cost their expected wait (half the
        headway) as without ``depart``; weekdays with no published time depart at 12:00.
        The route then carries ``departure`` and ``arrival``. Without ``depart``, every
        boarding costs its expected wait.

    Returns
    -------
    Route

    Raises
    ------
    NodeNotFound
        An unknown hub or line (with suggestions).
    NoRouteError
        Nothing joins the hubs; the message says which constraint cut them apart.
    DataError
        A bad criterion, mode or cost model.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> r = cr.route(net, "Kunming", "Vientiane", by="hours", modes=["rail"])
    >>> r.lines
    ('China–Laos Railway',)
    >>> r.hubs
    ('kunming', 'mohan', 'boten', 'vientiane')
    >>> round(r.total_km)
    1038
    >>> r = cr.route(net, "Kunming", "Vientiane", modes=["rail"], depart="2026-12-01T08:00")
    >>> r.departure.isoformat(), r.arrival > r.departure
    ('2026-12-01T08:00:00', True)
    """
    from corridor.reliability import PERCENTILE_CRITERIA

    if isinstance(by, str) and by in PERCENTILE_CRITERIA:
        return _percentile_route(
            net, origin, destination, by, via, avoid, modes, costs, scenario, depart
        )
    start = parse_depart(depart) if depart is not None else None
    if start is not None and by not in (None, "hours"):
        raise DataError(
            f"by={by!r} with depart: a timetable search minimises arrival time; use "
            "by='hours' or leave by out"
        )
    by = _check_by("generalized" if by is None else by) if start is None else "hours"
    cm = _effective_costs(costs, scenario)
    mds = _parse_modes(modes)
    o, d = endpoints(net, origin, destination)
    stops = [o, *(hub_arg(net, v, "via") for v in check_names("via", via)), d]
    ah, al = _parse_avoid(net, avoid)
    clash = set(ah) & set(stops)
    if clash:
        raise DataError(f"cannot avoid a hub the route must use: {', '.join(sorted(clash))}")
    g = compiled(net, cm, scenario)
    for s in stops:
        if scenario is not None and s in g.closure.hubs:
            raise NoRouteError(
                f"no route: scenario {scenario.name!r} closes {s!r}, a hub of the route"
            )
    w = _mask(g, by, mds, [g.hub_index[h] for h in ah], al)
    if start is not None:
        timed = _timed_route(g, w, [g.hub_index[s] for s in stops], start, (stops[0], stops[-1]))
        if timed is not None:
            return timed
        arcs = None
    elif len(stops) == 2 and mds is None and not ah and not al:
        arcs = _tree_path(g, by, g.hub_index[stops[0]], g.hub_index[stops[1]])
        if arcs is None or (arcs.size == 0):
            arcs, _ = _stops_path(g, w, [g.hub_index[s] for s in stops])
    else:
        arcs, _ = _stops_path(g, w, [g.hub_index[s] for s in stops])
    if arcs is None:
        why = _explain(net, cm, scenario, by, stops, mds, ah, al)
        raise NoRouteError(f"no route from {stops[0]!r} to {stops[-1]!r}: {why}")
    return make_route(g, arcs, stops[0], stops[-1], by)


def _percentile_route(
    net: Network,
    origin: str,
    destination: str,
    by: str,
    via: Iterable[str],
    avoid: Iterable[str],
    modes: Iterable[str] | None,
    costs: CostModel | None,
    scenario: Scenario | None,
    depart: object,
) -> Route:
    """``route(..., by="p90")``: the best candidate by that percentile of its time."""
    from corridor.reliability import PERCENTILE_CRITERIA, best_by_percentile
    from corridor.tradeoffs import _physical, k_shortest_paths

    if depart is not None or check_names("via", via):
        raise DataError(f"by={by!r} takes neither via nor depart: route by percentile alone")
    cm = _effective_costs(costs, scenario)
    mds = _parse_modes(modes)
    o, d = endpoints(net, origin, destination)
    ah, al = _parse_avoid(net, avoid)
    if set(ah) & {o, d}:
        raise DataError(f"cannot avoid a hub the route must use: {', '.join(set(ah) & {o, d})}")
    g = compiled(net, cm, scenario)
    hubs = [g.hub_index[h] for h in ah]
    found: dict[tuple[int, ...], Route] = {}
    for crit in ("hours", "generalized"):
        w = _mask(g, crit, mds, hubs, al)
        paths = k_shortest_paths(
            g.indptr, g.indices, w, g.source(g.hub_index[o]), g.sink(g.hub_index[d]),
            PERCENTILE_CANDIDATES, key=_physical(g),
        )  # fmt: skip
        for _, arcs in paths:
            arcs = arcs[g.kind[arcs] != ATTACH]
            found.setdefault(tuple(int(a) for a in arcs), make_route(g, arcs, o, d, by))
    if not found:
        why = _explain(net, cm, scenario, "hours", [o, d], mds, ah, al)
        raise NoRouteError(f"no route from {o!r} to {d!r}: {why}")
    assert by in PERCENTILE_CRITERIA
    return best_by_percentile(list(found.values()), PERCENTILE_CRITERIA[by])


#: candidate routes per criterion of a by="p90" search
PERCENTILE_CANDIDATES = 8


def route_matrix(
    net: Network,
    origins: Iterable[str],
    destinations: Iterable[str],
    *,
    by: Criterion = "generalized",
    avoid: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
) -> pd.DataFrame:
    """Best routes from every origin to every destination, computed in parallel.

    Returns
    -------
    pandas.DataFrame
        One row per (origin, destination) pair, indexed by hub ids, with the totals of the
        route that minimises ``by``: ``usd``, ``hours``, ``km``, ``co2_kg``, ``generalized``.
        Pairs with no route hold ``inf``. ``df[by].unstack()`` gives the square table.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> m = cr.route_matrix(net, ["Guiyang"], ["Singapore", "Duisburg"], by="hours")
    >>> list(m.index.get_level_values("destination"))
    ['singapore', 'duisburg']
    """
    check_network(net)
    by = _check_by(by)
    cm = _effective_costs(costs, scenario)
    mds = _parse_modes(modes)
    o_ids = [hub_arg(net, o, "origins") for o in check_names("origins", origins)]
    d_ids = [hub_arg(net, d, "destinations") for d in check_names("destinations", destinations)]
    if len(o_ids) * len(d_ids) > MAX_MATRIX_CELLS:
        raise DataError(
            f"route_matrix: {len(o_ids):,} origins x {len(d_ids):,} destinations is more than "
            f"{MAX_MATRIX_CELLS:,} pairs; ask in parts or use corridor.sweep"
        )
    ah, al = _parse_avoid(net, avoid)
    g = compiled(net, cm, scenario)
    w = _mask(g, by, mds, [g.hub_index[h] for h in ah], al)
    src = np.array([g.source(g.hub_index[o]) for o in o_ids], dtype=np.int64)
    dst = np.array([g.sink(g.hub_index[d]) for d in d_ids], dtype=np.int64)
    out = np.full((src.size, dst.size, len(CRITERIA)), np.inf)
    if src.size and dst.size:
        no_labels = np.full((src.size, dst.size), -1, dtype=np.int32)
        everything = np.full(g.indices.size, ~np.uint64(0), dtype=np.uint64)
        no_gates = np.zeros(g.indices.size, dtype=np.uint64)
        _kernels.sweep_pairs(
            g.indptr, g.indices, w, g.tail, g.criteria, src, dst, everything, no_gates,
            np.zeros(0, dtype=np.uint64), n_chunks(src.size), out, no_labels,
        )  # fmt: skip
    for i, o in enumerate(o_ids):  # a hub to itself costs nothing
        for j, d in enumerate(d_ids):
            if o == d:
                out[i, j, :] = 0.0
    index = pd.MultiIndex.from_product([o_ids, d_ids], names=["origin", "destination"])
    cols = ["usd", "hours", "km", "co2_kg", "generalized"]
    df = pd.DataFrame(out.reshape(-1, len(CRITERIA)), index=index, columns=cols)
    df.insert(2, "days", df["hours"] / 24.0)
    return df
