"""Corridor comparison: the best route within each corridor, side by side, and what-ifs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._compile import LINK, CompiledGraph, compiled
from corridor._errors import DataError, NoRouteError
from corridor._schema import MODES
from corridor.corridors import Corridor, load_corridors, select
from corridor.costs import CostModel, Criterion
from corridor.network import Network
from corridor.routing import (
    Route,
    _check_by,
    _effective_costs,
    best_through,
    make_route,
    route,
    states_of,
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


def _corridor_mask(g: CompiledGraph, c: Corridor) -> NDArray[np.bool_]:
    """Arcs a route in corridor ``c`` may use: links carrying one of its tags, and the rest."""
    allowed = np.array([bool(set(tags) & set(c.tags)) for tags in g.net._edges["corridors"]])
    is_link = g.kind == LINK
    ok: NDArray[np.bool_] = ~is_link | allowed[np.where(is_link, g.link, 0)]
    return ok


def _gateway_steps(g: CompiledGraph, c: Corridor) -> list[NDArray[np.int64]] | None:
    """Candidate state nodes of each gateway step; None if a step has none."""
    steps = []
    for step in c.gateways:
        nodes = [states_of(g, g.hub_index[h], mode) for h, mode in step if h in g.hub_index]
        cand = np.concatenate(nodes) if nodes else np.empty(0, dtype=np.int64)
        if cand.size == 0:
            return None
        steps.append(cand)
    return steps


def _corridor_weights(g: CompiledGraph, c: Corridor, by: Criterion) -> NDArray[np.float64]:
    return np.where(_corridor_mask(g, c), g.weights(by), np.inf)


def _corridor_route(g: CompiledGraph, c: Corridor, o: str, d: str, by: Criterion) -> CorridorResult:
    country = str(g.net._nodes.at[d, "country"])
    if country not in c.serves:
        return CorridorResult(c, None, "not served", f"does not serve {country}")
    steps = []
    for step in c.gateways:
        nodes = [states_of(g, g.hub_index[h], mode) for h, mode in step if h in g.hub_index]
        cand = np.concatenate(nodes) if nodes else np.empty(0, dtype=np.int64)
        if cand.size == 0:
            names = " or ".join(f"{h} by {m}" for h, m in step)
            return CorridorResult(
                c, None, "no route", f"gateway {names} is closed or has no such service"
            )
        steps.append(cand)
    w = _corridor_weights(g, c, by)
    arcs, failed = best_through(g, w, g.source(g.hub_index[o]), steps, g.sink(g.hub_index[d]))
    if arcs is None:
        if failed < len(c.gateways):
            what = " or ".join(f"{h} by {m}" for h, m in c.gateways[failed])
            return CorridorResult(
                c, None, "no route", f"cannot reach the gateway {what} on the corridor's links"
            )
        return CorridorResult(
            c, None, "no route", f"cannot reach {d} from the gateway on the corridor's links"
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
    o, d = net.hub_id(origin), net.hub_id(destination)
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
    "name", "status", "usd", "hours", "days", "km", "co2_kg", "generalized", "transfers",
    "border_crossings", "gauge_changes", *(f"share_{m}" for m in MODES), "path", "lines", "reason",
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
    total = float(km_by_mode.sum())
    row.update(
        usd=r.total_usd,
        hours=r.total_hours,
        days=r.total_days,
        km=r.total_km,
        co2_kg=r.total_co2_kg,
        generalized=r.total_generalized,
        transfers=r.transfers,
        border_crossings=r.border_crossings,
        gauge_changes=r.gauge_changes,
        lines=" · ".join(r.lines),
        path=r.path,
        **{f"share_{m}": (float(km_by_mode.get(m, 0.0)) / total if total else 0.0) for m in MODES},
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
) -> pd.DataFrame:
    """Compare the corridors between two hubs.

    Returns
    -------
    pandas.DataFrame
        Indexed by corridor id. First the unconstrained best route (``"best"``), then one row
        per corridor that serves the pair, sorted by ``by``, then the corridors that cannot
        serve it with the ``reason``. Columns: ``usd``, ``hours``, ``days``, ``km``,
        ``co2_kg``, ``generalized``, ``transfers``, ``border_crossings``, ``gauge_changes``,
        the km share of each mode (``share_rail`` ...), the ``path`` in brief and the
        ``lines`` used.

    Examples
    --------
    >>> import corridor as cr
    >>> df = cr.compare(cr.load_network(), "Guiyang", "Duisburg")
    >>> df.index[0], "china_europe_alashankou" in df.index
    ('best', True)
    """
    by = _check_by(by)
    return table(
        corridor_routes(
            net, origin, destination, by=by, corridors=corridors, costs=costs, scenario=scenario
        ),
        by,
    )


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
    scenarios = list(scenarios)
    for s in scenarios:
        if not isinstance(s, Scenario):
            raise DataError(f"scenarios must be Scenario objects, got {type(s).__name__}")
    names = [s.name for s in scenarios]
    if "baseline" in names or len(set(names)) != len(names):
        raise DataError(f"scenario names must be unique and not 'baseline': {names}")
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
