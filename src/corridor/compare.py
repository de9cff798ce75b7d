"""Corridor comparison: the best route within each corridor, side by side, and what-ifs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._checks import check_bool, check_int, check_seed, shown
from corridor._compile import MODE_CODE, CompiledGraph, _static, compiled
from corridor._errors import DataError, NoRouteError
from corridor._schema import MODES
from corridor.corridors import Corridor, Gateway, load_corridors, select
from corridor.costs import CRITERIA, CostModel, Criterion
from corridor.indicators import INDICATORS, indicators_of_legs
from corridor.network import Network
from corridor.routing import (
    Route,
    _check_by,
    _effective_costs,
    _mask,
    best_through,
    endpoints,
    make_route,
    route,
    route_matrix,
)
from corridor.scenario import Scenario

__all__ = ["CorridorResult", "compare", "compare_scenarios", "corridor_routes"]

BEST = "best"


@dataclass(frozen=True, slots=True)
class CorridorResult:
    """One corridor's answer for an origin-destination pair: a route, or why there is none."""

    corridor: Corridor | None
    route: Route | None
    status: str
    reason: str = ""


#: a corridor whose feeder leg (origin to its last gateway) is more than this many times
#: the shortest way there does not serve the origin: feeding it means doubling back
DETOUR_LIMIT = 2.0


def gateway_arcs(g: CompiledGraph, step: Sequence[Gateway]) -> NDArray[np.int64]:
    """Travel arcs that meet a gateway step: into (or out of) one of its hubs by its mode."""
    travel = g.is_travel
    hit = np.zeros(g.kind.size, dtype=bool)
    tail_hub = g.state_hub[np.minimum(g.tail, g.n_states - 1)]
    for gw in step:
        if gw.direction in ("link", "link_back"):
            li = _static(g.net).link_index.get(gw.link or "")
            if li is not None:
                fwd = g.forward if gw.direction == "link" else ~g.forward
                hit |= travel & (g.link == li) & fwd
            continue
        h = g.hub_index.get(gw.hub)
        if h is None:
            continue
        at = g.hub == h if gw.direction == "arrive" else (tail_hub == h) & (g.tail < g.n_states)
        hit |= travel & at & (g.arc_mode == MODE_CODE[gw.mode])
    return np.flatnonzero(hit).astype(np.int64)


def modes_mask(g: CompiledGraph, modes: Sequence[str] | None) -> NDArray[np.bool_]:
    """Arcs a route limited to ``modes`` may use (all if None)."""
    if modes is None:
        return np.ones(g.kind.size, dtype=bool)
    allowed = np.zeros(len(MODE_CODE) + 1, dtype=bool)
    allowed[-1] = True  # index -1: attach arcs
    for m in modes:
        allowed[MODE_CODE[m]] = True
    out: NDArray[np.bool_] = allowed[g.arc_mode]
    return out


def rivals_mask(g: CompiledGraph, c: Corridor) -> NDArray[np.bool_]:
    """Arcs a route of ``c`` may use: not a gateway of another exclusive corridor."""
    ok = np.ones(g.kind.size, dtype=bool)
    if not c.exclusive:
        return ok
    for other in load_corridors():
        if other.id != c.id and other.exclusive:
            other = other.reversed() if c.inbound else other
            for step in other.gateways:
                ok[gateway_arcs(g, step)] = False
    for step in c.gateways:  # its own gateways stay open even where they are shared
        ok[gateway_arcs(g, step)] = True
    return ok


def _steps(
    g: CompiledGraph, c: Corridor, country: str | None = None
) -> list[NDArray[np.int64]] | int:
    """Candidate arcs of each gateway step (with the onward step for a destination in
    ``country``), or the index of the first step with none."""
    steps = []
    for i, step in enumerate(c.gateways if country is None else c.steps_to(country)):
        arcs = gateway_arcs(g, step)
        if arcs.size == 0:
            return i
        steps.append(arcs)
    return steps


#: before its first gateway, a corridor's route keeps to hubs ``h`` with
#: ``km(origin, h) + km(h, gateway) <= FEEDER_ELLIPSE * km(origin, gateway) + FEEDER_SLACK_KM``
#: for some gateway of the first step: the feeder heads for the corridor
FEEDER_ELLIPSE = 1.5
FEEDER_SLACK_KM = 50.0


def hub_km(g: CompiledGraph) -> NDArray[np.float64]:
    """Shortest km between every pair of hubs (cached on the compiled graph)."""
    found: NDArray[np.float64] | None = getattr(g, "_hub_km", None)
    if found is None:
        hubs = list(g.hub_ids)
        m = route_matrix(g.net, hubs, hubs, by="km", costs=g.costs, scenario=g.scenario)
        found = m["km"].to_numpy().reshape(len(hubs), len(hubs))
        object.__setattr__(g, "_hub_km", found)
    return found


def feeder_arcs(
    g: CompiledGraph, c: Corridor, first: NDArray[np.int64], o: int
) -> NDArray[np.bool_]:
    """Arcs a feeder to the first gateway may use: within the detour ellipse."""
    km = hub_km(g)
    gates = {int(g.state_hub[g.tail[e]]) for e in first}
    ok = np.zeros(g.n_hubs, dtype=bool)
    for h in gates:
        ok |= km[o] + km[:, h] <= FEEDER_ELLIPSE * km[o, h] + FEEDER_SLACK_KM
    head = g.indices
    head_hub = np.where(
        head < g.n_states,
        g.state_hub[np.minimum(head, g.n_states - 1)],
        (head - g.n_states) % g.n_hubs,
    )
    out: NDArray[np.bool_] = ok[head_hub]
    return out


def _describe(step: Sequence[Gateway]) -> str:
    return " or ".join(str(gw) for gw in step)


def _feeder_detour(
    g: CompiledGraph, c: Corridor, arcs: NDArray[np.int64], steps: list[NDArray[np.int64]], o: str
) -> tuple[float, str] | None:
    """How many times the shortest way the feeder to the last gateway is, and that hub."""
    if not steps:
        return None
    last = np.flatnonzero(np.isin(arcs, steps[-1]))
    if last.size == 0:
        return None
    k = int(last[-1])
    if c.gateways[-1][0].direction == "depart":  # the feeder ends where the arc leaves
        hub, upto = int(g.state_hub[g.tail[arcs[k]]]), arcs[:k]
    else:
        hub, upto = int(g.hub[arcs[k]]), arcs[: k + 1]
    feeder_km = float(g.criteria[CRITERIA.index("km"), upto].sum())
    if hub == g.hub_index[o] or feeder_km == 0:
        return None
    km = g.weights("km")
    best, _ = best_through(g, km, g.source(g.hub_index[o]), [], g.sink(hub))
    shortest = float(km[best].sum()) if best is not None else 0.0
    if shortest <= 0:
        return None
    return feeder_km / shortest, g.hub_ids[hub]


#: the home country of the corridors: a route into it from a country a corridor serves runs
#: that corridor the other way (:meth:`Corridor.reversed`)
HOME = "CHN"


def _corridor_route(g: CompiledGraph, c: Corridor, o: str, d: str, by: Criterion) -> CorridorResult:
    """The best route of corridor ``c``: outbound to a country it serves and, into China
    from a country it serves, inbound (the corridor reversed); where both apply (a domestic
    pair), the better of the two."""
    nodes = g.net._nodes
    o_country, d_country = str(nodes.at[o, "country"]), str(nodes.at[d, "country"])
    tries = []
    if d_country in c.serves:
        tries.append(_oriented_route(g, c, o, d, by, d_country))
    if d_country == HOME and o_country in c.serves:
        found = _oriented_route(g, c.reversed(), o, d, by, o_country)
        tries.append(CorridorResult(c, found.route, found.status, found.reason))
    if not tries:
        return CorridorResult(c, None, "not served", f"does not serve {d_country}")
    ok = [t for t in tries if t.route is not None]
    if not ok:
        return tries[0]
    key = {"co2": "total_co2_kg"}.get(by, f"total_{by}")
    return min(ok, key=lambda t: getattr(t.route, key))


def _oriented_route(
    g: CompiledGraph, c: Corridor, o: str, d: str, by: Criterion, country: str
) -> CorridorResult:
    """The best route of ``c`` as oriented (``country``: where it goes to, or comes from)."""
    steps = _steps(g, c, country)
    gateways = c.steps_to(country)
    if isinstance(steps, int):
        what = _describe(gateways[steps])
        return CorridorResult(
            c, None, "no route", f"no link or service open for the gateway ({what})"
        )
    w = np.where(rivals_mask(g, c), _mask(g, by, c.modes, [], []), np.inf)
    oi = g.hub_index[o]
    feeder = feeder_arcs(g, c, steps[0], oi) if steps else None
    arcs, failed = best_through(g, w, g.source(oi), steps, g.sink(g.hub_index[d]), feeder)
    if arcs is None:
        if (
            steps
            and failed == 0
            and best_through(g, w, g.source(oi), steps[:1], g.sink(oi))[0] is not None
        ):
            name = g.net._nodes.at[o, "name"]
            return CorridorResult(
                c, None, "not served", f"no feeder from {name} heads for the gateway "
                f"({_describe(c.gateways[0])}) without doubling back",
            )  # fmt: skip
        if failed < len(gateways):
            what = _describe(gateways[failed])
            return CorridorResult(c, None, "no route", f"cannot reach the gateway ({what})")
        return CorridorResult(c, None, "no route", f"cannot reach {d} from the gateway")
    detour = _feeder_detour(g, c, arcs, steps[: len(c.gateways)], o)
    if detour is not None and detour[0] > DETOUR_LIMIT:
        names = g.net._nodes["name"]
        return CorridorResult(
            c,
            None,
            "not served",
            f"feeding it from {names[o]} means doubling back: {detour[0]:.1f}× the shortest "
            f"way to {names[detour[1]]}",
        )
    return CorridorResult(c, make_route(g, arcs, o, d, by), "ok")


def corridor_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    by: Criterion = "generalized",
    corridors: Sequence[str | Corridor] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
) -> dict[str, CorridorResult]:
    """The best route within each corridor, and the unconstrained best (key ``"best"``).

    Examples
    --------
    >>> import corridor as cr
    >>> res = cr.corridor_routes(cr.load_network(), "Guiyang", "Vientiane")
    >>> res["china_laos"].status, res["china_europe_alashankou"].status
    ('ok', 'not served')
    """
    by = _check_by(by)
    cm = _effective_costs(costs, scenario)
    o, d = endpoints(net, origin, destination)
    chosen = select(corridors, load_corridors())
    for c in chosen:
        c.check(net)
    g = compiled(net, cm, scenario)
    out: dict[str, CorridorResult] = {}
    try:
        out[BEST] = CorridorResult(
            None, route(net, o, d, by=by, costs=costs, scenario=scenario), "ok"
        )
    except NoRouteError as exc:
        out[BEST] = CorridorResult(None, None, "no route", str(exc))
    for c in chosen:
        if o in g.closure.hubs or d in g.closure.hubs:
            out[c.id] = CorridorResult(
                c, None, "no route", "the scenario closes the origin or destination"
            )
        else:
            out[c.id] = _corridor_route(g, c, o, d, by)
    return out


_COLUMNS = [
    "name", "status", "usd", "hours", "days", "km", "co2_kg", "co2e_wtw_kg", "co2e_ttw_kg",
    "generalized", "wait_hours",
    "transfers", "border_crossings", "gauge_changes", *(f"share_{m}" for m in MODES),
    *INDICATORS, "path", "lines", "reason",
]  # fmt: skip


def _row(key: str, res: CorridorResult) -> dict[str, object]:
    name = res.corridor.name if res.corridor is not None else "Best route (any corridor)"
    row: dict[str, object] = {
        "corridor": key,
        "name": name,
        "status": res.status,
        "reason": res.reason,
    }
    r = res.route
    if r is None:
        return row
    legs = r.legs
    km_by_mode = legs[legs["kind"] == "link"].groupby("mode")["km"].sum()
    waits = float(legs["wait_hours"].sum())
    total = float(km_by_mode.sum())
    row.update(
        usd=r.total_usd,
        hours=r.total_hours,
        days=r.total_days,
        km=r.total_km,
        co2_kg=r.total_co2_kg,
        co2e_wtw_kg=r.total_co2_kg,
        co2e_ttw_kg=r.total_co2e_ttw_kg,
        generalized=r.total_generalized,
        wait_hours=waits,
        transfers=r.transfers,
        border_crossings=r.border_crossings,
        gauge_changes=r.gauge_changes,
        lines=" · ".join(r.lines),
        path=r.path,
        **{f"share_{m}": (float(km_by_mode.get(m, 0.0)) / total if total else 0.0) for m in MODES},
        **indicators_of_legs(legs),
    )
    return row


def table(results: dict[str, CorridorResult], by: Criterion) -> pd.DataFrame:
    """The comparison table of :func:`corridor_routes` results, sorted by ``by``."""
    key = {"co2": "co2_kg"}.get(by, by)
    df = pd.DataFrame([_row(k, r) for k, r in results.items()]).set_index("corridor")
    df = df.reindex(columns=_COLUMNS)
    best = df.loc[[BEST]]
    rest = df.drop(index=BEST)
    served = rest[rest["status"] == "ok"].sort_values(key, kind="stable")
    unserved = rest[rest["status"] != "ok"]
    out = pd.concat([best, served, unserved])
    for col in ("transfers", "border_crossings", "gauge_changes"):
        out[col] = out[col].astype("Int64")
    out["reason"] = out["reason"].fillna("")
    out["lines"] = out["lines"].fillna("")
    out["path"] = out["path"].fillna("")
    return out


def compare(
    net: Network,
    origin: str,
    destination: str,
    *,
    by: Criterion = "generalized",
    corridors: Sequence[str | Corridor] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    reliability: bool = False,
    samples: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare the corridors between two hubs.

    Returns
    -------
    pandas.DataFrame
        Indexed by corridor id. First the unconstrained best route (``"best"``), then one row
        per corridor that serves the pair, sorted by ``by``, then the corridors that cannot
        serve it with the ``reason``. Columns: ``usd``, ``hours``, ``days``, ``km``,
        ``co2_kg`` (well-to-wheel kg CO2e, as ISO 14083 counts it, :mod:`corridor.emissions`),
        ``co2e_wtw_kg`` (the same, by its ISO name) and ``co2e_ttw_kg`` (tank-to-wheel),
        ``generalized``, ``transfers``, ``border_crossings``, ``gauge_changes``,
        the km share of each mode (``share_rail`` ...), the CAREC CPMM indicators
        (:data:`corridor.indicators.INDICATORS`: speed with and without delay, shares of
        time and cost at borders, transfers and waits), the ``path`` in brief and the
        ``lines`` used. With ``reliability=True`` also ``p50_days``, ``p90_days``,
        ``p95_days`` (percentiles of the door-to-door time, :mod:`corridor.reliability`) and
        ``on_time_share``: the share of boxes arriving no later than a day after the route's
        expected time (its mean, the ``days`` column), the ship schedule-reliability
        definition with the model's time as the schedule.

    Other Parameters
    ----------------
    reliability : bool
        Add the percentile columns.
    samples, seed : int
        Draws per corridor and their seed (every corridor gets the same seed).

    Examples
    --------
    >>> import corridor as cr
    >>> df = cr.compare(cr.load_network(), "Guiyang", "Duisburg")
    >>> df.index[0], "china_europe_alashankou" in df.index
    ('best', True)
    >>> df = cr.compare(cr.load_network(), "Guiyang", "Vientiane", reliability=True)
    >>> ok = df[df["status"] == "ok"]
    >>> bool((ok["p90_days"] >= ok["p50_days"]).all())
    True
    """
    by = _check_by(by)
    rel = check_bool("reliability", reliability)
    n = check_int("samples", samples, ge=1, le=1_000_000)
    s = check_seed("seed", seed)
    results = corridor_routes(
        net, origin, destination, by=by, corridors=corridors, costs=costs, scenario=scenario
    )
    out = table(results, by)
    if rel:
        add_reliability(out, results, n, 0 if s is None else s)
    return out


#: columns ``compare(..., reliability=True)`` adds
RELIABILITY_COLUMNS = ("p50_days", "p90_days", "p95_days", "on_time_share")


def add_reliability(
    df: pd.DataFrame, results: dict[str, CorridorResult], samples: int, seed: int
) -> None:
    """Add :data:`RELIABILITY_COLUMNS` to a comparison table, in place."""
    from corridor.reliability import sample_route

    cols: dict[str, list[float]] = {c: [] for c in RELIABILITY_COLUMNS}
    for key in df.index:
        r = results[key].route
        if r is None:
            for c in RELIABILITY_COLUMNS:
                cols[c].append(float("nan"))
            continue
        h, _ = sample_route(r, samples, seed)
        p50, p90, p95 = np.percentile(h, [50, 90, 95]) / 24.0
        cols["p50_days"].append(float(p50))
        cols["p90_days"].append(float(p90))
        cols["p95_days"].append(float(p95))
        cols["on_time_share"].append(float(np.mean(h <= r.total_hours + 24.0)))
    at = list(df.columns).index("days") + 1
    for i, c in enumerate(RELIABILITY_COLUMNS):
        df.insert(at + i, c, cols[c])


def compare_scenarios(
    net: Network,
    origin: str,
    destination: str,
    scenarios: Iterable[Scenario],
    *,
    by: Criterion = "generalized",
    corridors: Sequence[str | Corridor] | None = None,
    costs: CostModel | None = None,
) -> pd.DataFrame:
    """Each scenario's corridor comparison, with deltas against the baseline (no scenario).

    Returns
    -------
    pandas.DataFrame
        Indexed by (scenario, corridor); the baseline rows come first under scenario
        ``"baseline"``. Columns as :func:`compare`, plus ``d_usd``, ``d_hours``, ``d_days``,
        ``d_km``, ``d_co2_kg``, ``d_generalized``: the change against the baseline's row for
        the same corridor (NaN where either has no route).
    """
    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    if isinstance(scenarios, str | bytes | Mapping) or not isinstance(scenarios, Iterable):
        raise DataError(f"scenarios must be a list of Scenario objects, got {shown(scenarios)}")
    scenarios = list(scenarios)
    for i, s in enumerate(scenarios):
        if not isinstance(s, Scenario):
            raise DataError(
                f"scenarios[{i}] must be a Scenario object, got {type(s).__name__} {shown(s)}"
            )
    names = [s.name for s in scenarios]
    if "baseline" in names or len(set(names)) != len(names):
        raise DataError(f"scenario names must be unique and not 'baseline': {shown(names)}")
    base = compare(net, origin, destination, by=by, corridors=corridors, costs=costs)
    frames = {"baseline": base}
    for s in scenarios:
        frames[s.name] = compare(
            net, origin, destination, by=by, corridors=corridors, costs=costs, scenario=s
        )
    cols = ["usd", "hours", "days", "km", "co2_kg", "generalized"]
    out = []
    for name, df in frames.items():
        df = df.copy()
        for c in cols:
            df[f"d_{c}"] = df[c] - base[c].reindex(df.index)
        df.insert(0, "scenario", name)
        out.append(df.reset_index().set_index(["scenario", "corridor"]))
    return pd.concat(out)
