"""Trade-offs: the Pareto front of routes, the k shortest routes, and alternatives that differ.

The Pareto front is found exactly by a multi-criteria label-setting search in the Numba core
(lexicographic order, lower bounds from one reverse search per criterion, dominance pruning
at nodes and against the solutions found). k-shortest routes use Yen's algorithm over the
state-expanded graph, keeping routes that differ as physical routes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor import _kernels
from corridor._checks import check_bool, check_int, check_names, check_number, shown
from corridor._compile import ATTACH, CompiledGraph, compiled, csr_indptr
from corridor._errors import DataError, NoRouteError
from corridor._schema import MODES
from corridor.costs import CRITERIA, CostModel, Criterion
from corridor.csgraph import _collapse_min
from corridor.network import Network
from corridor.routing import (
    Route,
    _check_by,
    _effective_costs,
    best_through,
    endpoints,
    make_route,
    route,
)
from corridor.scenario import Scenario

__all__ = ["alternatives", "k_shortest", "k_shortest_paths", "pareto", "pareto_front"]

Path = tuple[float, NDArray[np.int64]]


# ---------------------------------------------------------------- Pareto


def _lower_bounds(
    indptr: NDArray[np.int32], indices: NDArray[np.int32], costs: NDArray[np.float64], target: int
) -> NDArray[np.float64]:
    """Per criterion, the least cost from every node to ``target`` (one reverse search each)."""
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    out = np.empty((costs.shape[0], n))
    for k in range(costs.shape[0]):
        keep = np.isfinite(costs[k])
        r_indptr, r_indices, r_w = _collapse_min(
            indices[keep].astype(np.int64), tail[keep], costs[k][keep], n
        )
        dist = np.full((1, n), np.inf)
        _kernels.many_to_all(
            r_indptr, r_indices, r_w, np.array([target], dtype=np.int64), np.inf, False, 1, dist,
            np.empty((0, 0), dtype=np.int32),
        )  # fmt: skip
        out[k] = dist[0]
    return out


def pareto_front(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    costs: NDArray[np.float64],
    source: int,
    target: int,
) -> list[tuple[NDArray[np.float64], NDArray[np.int64]]]:
    """Every Pareto-optimal path from ``source`` to ``target`` on a CSR graph.

    Parameters
    ----------
    costs : (d, m) array
        One row per criterion, one column per arc; ``>= 0`` (``inf``: arc absent).

    Returns
    -------
    list of (cost vector, arcs)
        One path per distinct non-dominated cost vector, sorted lexicographically.

    Examples
    --------
    >>> import numpy as np
    >>> indptr = np.array([0, 2, 3, 3], dtype=np.int32)   # 0->1, 0->2, 1->2
    >>> indices = np.array([1, 2, 2], dtype=np.int32)
    >>> costs = np.array([[1.0, 5.0, 1.0], [4.0, 1.0, 4.0]])
    >>> [c.tolist() for c, _ in pareto_front(indptr, indices, costs, 0, 2)]
    [[2.0, 8.0], [5.0, 1.0]]
    """
    costs = np.ascontiguousarray(costs, dtype=np.float64)
    if costs.ndim != 2 or costs.shape[1] != indices.size:
        raise DataError(f"costs must be (criteria, arcs) = (d, {indices.size}), got {costs.shape}")
    if np.isnan(costs).any() or (costs < 0).any():
        raise DataError("costs must be >= 0 and not NaN")
    lower = _lower_bounds(indptr, indices, costs, target)
    if not np.isfinite(lower[:, source]).all():
        return []
    lower = np.where(np.isfinite(lower), lower, 0.0)
    cap = max(1024, 8 * indices.size)
    d = costs.shape[0]
    while True:
        cost = np.empty((cap, d))
        key = np.empty((cap, d))
        node = np.empty(cap, dtype=np.int32)
        parent = np.empty(cap, dtype=np.int32)
        arc = np.empty(cap, dtype=np.int32)
        solution = np.zeros(cap, dtype=bool)
        used = _kernels.pareto_labels(
            indptr, indices, costs, lower, source, target, cost, key, node, parent, arc, solution
        )
        if used >= 0:
            break
        cap *= 4
    out = []
    for lab in np.flatnonzero(solution[:used]):
        arcs = []
        v = int(lab)
        while parent[v] != -1:
            arcs.append(int(arc[v]))
            v = int(parent[v])
        out.append((cost[lab].copy(), np.array(arcs[::-1], dtype=np.int64)))
    out.sort(key=lambda p: tuple(p[0]))
    return out


#: largest k of k_shortest, n and max_tries of alternatives (each is a search)
MAX_K = 1_000
MAX_TRIES = 10_000


def _pick(front: list[Route], max_routes: int | None) -> list[Route]:
    if max_routes is None or len(front) <= max_routes:
        return front
    idx = np.unique(np.round(np.linspace(0, len(front) - 1, max_routes)).astype(int))
    return [front[i] for i in idx]


def pareto(
    net: Network,
    origin: str,
    destination: str,
    *,
    criteria: Sequence[Criterion | str] = ("usd", "hours"),
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    max_routes: int | None = None,
) -> list[Route]:
    """The Pareto front of routes between two hubs over two or three criteria.

    Returns
    -------
    list of Route
        Every route no other beats on all criteria at once (one per distinct cost vector),
        sorted along the front by the first criterion. With ``max_routes``, that many
        spread evenly along the front, both ends kept.

    Examples
    --------
    >>> import corridor as cr
    >>> front = cr.pareto(cr.load_network(), "Guiyang", "Duisburg", criteria=("usd", "hours"))
    >>> front[0].total_usd < front[-1].total_usd and front[0].total_hours > front[-1].total_hours
    True
    """
    crit = list(check_names("criteria", criteria, allow_none=False))
    if not 2 <= len(crit) <= 3 or len(set(crit)) != len(crit):
        raise DataError(f"criteria: give two or three different criteria, got {shown(crit)}")
    for c in crit:
        _check_by(c, "criteria")
    if max_routes is not None:
        max_routes = check_int("max_routes", max_routes, ge=1)
    cm = _effective_costs(costs, scenario)
    o, d = endpoints(net, origin, destination)
    g = compiled(net, cm, scenario)
    rows = np.stack([g.criteria[CRITERIA.index(c)] for c in crit])
    front = pareto_front(
        g.indptr, g.indices, rows, g.source(g.hub_index[o]), g.sink(g.hub_index[d])
    )
    if not front:
        raise NoRouteError(f"no route from {o!r} to {d!r}")
    label = "pareto(" + ", ".join(crit) + ")"
    routes = [make_route(g, arcs[g.kind[arcs] != ATTACH], o, d, label) for _, arcs in front]
    return _pick(routes, max_routes)


# ---------------------------------------------------------------- k shortest


def k_shortest_paths(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    w: NDArray[np.float64],
    source: int,
    target: int,
    k: int,
    *,
    key: Callable[[NDArray[np.int64]], Hashable] | None = None,
    max_candidates: int | None = None,
) -> list[Path]:
    """The ``k`` shortest loopless paths (Yen), as ``(cost, arcs)`` in order of cost.

    With ``key``, paths with equal keys count once (the cheapest is kept): on the
    state-expanded graph this keeps routes that differ as physical routes.

    Examples
    --------
    >>> import numpy as np
    >>> indptr = np.array([0, 2, 3, 3], dtype=np.int32)   # 0->1, 0->2, 1->2
    >>> indices = np.array([1, 2, 2], dtype=np.int32)
    >>> [c for c, _ in k_shortest_paths(indptr, indices, np.array([1.0, 5.0, 1.0]), 0, 2, 3)]
    [2.0, 5.0]
    """
    n = indptr.shape[0] - 1
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    ws = _kernels.new_workspace(n, False)
    # arcs into each node (CSC order), so blocking a node costs its degree, not m
    by_head = np.argsort(indices, kind="stable")
    in_ptr = csr_indptr(indices, n)

    def shortest(weights: NDArray[np.float64], s: int) -> Path | None:
        cost, arcs = _kernels.shortest_path(indptr, indices, weights, tail, s, target, *ws)
        return None if cost == np.inf else (float(cost), arcs)

    first = shortest(w, source)
    if first is None or k < 1:
        return []
    # Yen's list A (every path popped, kept or not), as: root prefix -> the arcs that
    # accepted paths take next after it
    taken: dict[tuple[int, ...], set[int]] = {}

    def accept(arcs: list[int]) -> None:
        for i in range(len(arcs)):
            taken.setdefault(tuple(arcs[:i]), set()).add(arcs[i])

    accept(first[1].tolist())
    results: list[Path] = [first]
    seen_keys = {key(first[1])} if key is not None else set()
    candidates: list[tuple[float, int, tuple[int, ...]]] = []
    generated: set[tuple[int, ...]] = {tuple(first[1].tolist())}
    limit = max_candidates if max_candidates is not None else 200 * k + 500
    last = first
    while len(results) < k:
        nodes = [source, *indices[last[1]].tolist()]
        arcs = last[1].tolist()
        for i in range(len(arcs)):
            root = arcs[:i]
            blocked = w.copy()
            blocked[list(taken.get(tuple(root), ()))] = np.inf
            for v in nodes[:i]:  # loopless: the root's nodes are off limits
                blocked[indptr[v] : indptr[v + 1]] = np.inf
                blocked[by_head[in_ptr[v] : in_ptr[v + 1]]] = np.inf
            spur = shortest(blocked, nodes[i])
            if spur is None:
                continue
            total = tuple(root + spur[1].tolist())
            if total not in generated:
                generated.add(total)
                heapq.heappush(candidates, (float(w[list(total)].sum()), len(generated), total))
        if not candidates or len(generated) > limit:
            break
        cost, _, best = heapq.heappop(candidates)
        last = (cost, np.array(best, dtype=np.int64))
        accept(list(best))
        if key is not None:
            k_last = key(last[1])
            if k_last in seen_keys:
                continue
            seen_keys.add(k_last)
        results.append(last)
    return results


def _physical(g: CompiledGraph) -> Callable[[NDArray[np.int64]], Hashable]:
    def key(arcs: NDArray[np.int64]) -> Hashable:
        links = arcs[g.is_travel[arcs]]
        return tuple(zip(g.link[links].tolist(), g.forward[links].tolist(), strict=True))

    return key


_SEA = MODES.index("sea")


def _distinct(g: CompiledGraph) -> Callable[[NDArray[np.int64]], Hashable]:
    """Routes are the same when they pass the same hubs by the same modes, a ship's calls
    on the way aside: a sea leg counts by where it ends, so a route that only adds a port
    call (or sails by another strait) is the same route."""

    def key(arcs: NDArray[np.int64]) -> Hashable:
        travel = arcs[g.is_travel[arcs]]
        out: list[tuple[int, int]] = []
        for hub, mode in zip(g.hub[travel].tolist(), g.arc_mode[travel].tolist(), strict=True):
            if out and out[-1][1] == mode == _SEA:
                out[-1] = (hub, mode)  # still at sea: only where the voyage ends counts
            elif not out or out[-1] != (hub, mode):
                out.append((hub, mode))
        return tuple(out)

    return key


def k_shortest(
    net: Network,
    origin: str,
    destination: str,
    k: int,
    *,
    by: Criterion = "generalized",
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    distinct: bool = False,
) -> list[Route]:
    """The ``k`` best loopless routes by ``by``, each a different physical route.

    With ``distinct=True`` two routes that pass the same hubs by the same modes count once
    (the cheapest is kept): a route that only adds a port call, or sails by another strait,
    is the same route.

    Examples
    --------
    >>> import corridor as cr
    >>> rs = cr.k_shortest(cr.load_network(), "Guiyang", "Duisburg", 3, by="hours")
    >>> [r.total_hours for r in rs] == sorted(r.total_hours for r in rs)
    True
    """
    by = _check_by(by)
    k = check_int("k", k, ge=1, le=MAX_K)
    cm = _effective_costs(costs, scenario)
    o, d = endpoints(net, origin, destination)
    g = compiled(net, cm, scenario)
    paths = k_shortest_paths(
        g.indptr,
        g.indices,
        g.weights(by),
        g.source(g.hub_index[o]),
        g.sink(g.hub_index[d]),
        k,
        key=_distinct(g) if check_bool("distinct", distinct) else _physical(g),
    )
    if not paths:
        raise NoRouteError(f"no route from {o!r} to {d!r}")
    return [make_route(g, arcs[g.kind[arcs] != ATTACH], o, d, by) for _, arcs in paths]


def _km_by_link(r: Route) -> dict[str, float]:
    legs = r.legs
    links = legs[legs["kind"] == "link"]
    return dict(zip(links["link"], links["km"], strict=True))


def alternatives(
    net: Network,
    origin: str,
    destination: str,
    *,
    n: int = 3,
    max_overlap: float = 0.5,
    by: Criterion = "generalized",
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    penalty: float = 0.5,
    max_tries: int = 60,
) -> list[Route]:
    """Up to ``n`` good routes that share no more than ``max_overlap`` of their length.

    The best route comes first. Then, by the penalty method, the links of every route
    found cost ``1 + penalty`` times more in the next search, and a route found is kept
    when the km it shares with each kept route is at most ``max_overlap`` of its own km.
    Routes are reported with their true costs, best first.

    Examples
    --------
    >>> import corridor as cr
    >>> alts = cr.alternatives(cr.load_network(), "Guiyang", "Duisburg", n=3, max_overlap=0.5)
    >>> len(alts), alts[0].total_generalized <= alts[1].total_generalized
    (3, True)
    """
    max_overlap = check_number("max_overlap", max_overlap, ge=0.0, le=1.0)
    n = check_int("n", n, ge=1, le=MAX_K)
    penalty = check_number("penalty", penalty, gt=0.0, le=1e6)
    max_tries = check_int("max_tries", max_tries, ge=1, le=MAX_TRIES)
    by = _check_by(by)
    cm = _effective_costs(costs, scenario)
    o, d = endpoints(net, origin, destination)
    route(net, o, d, by=by, costs=costs, scenario=scenario)  # NoRouteError if none
    g = compiled(net, cm, scenario)
    w = g.weights(by).copy()
    is_link = g.is_travel
    chosen: list[Route] = []
    chosen_km: list[dict[str, float]] = []
    seen: set[Hashable] = set()
    key = _distinct(g)
    for _ in range(max_tries):
        arcs, _failed = best_through(g, w, g.source(g.hub_index[o]), [], g.sink(g.hub_index[d]))
        if arcs is None:
            break
        k = key(arcs)
        if k not in seen:
            seen.add(k)
            r = make_route(g, arcs, o, d, by)
            km = _km_by_link(r)
            total = sum(km.values())
            if all(
                sum(v for lk, v in km.items() if lk in other) <= max_overlap * total + 1e-9
                for other in chosen_km
            ):
                chosen.append(r)
                chosen_km.append(km)
                if len(chosen) == n:
                    break
        used = np.isin(g.link, g.link[arcs[is_link[arcs]]]) & is_link
        w[used] *= 1.0 + penalty
    key_of = {"co2": "total_co2_kg"}.get(by, f"total_{by}")
    return sorted(chosen, key=lambda r: getattr(r, key_of))


def front_table(routes: Sequence[Route]) -> pd.DataFrame:
    """A table of routes: totals, days, path and lines, one row each."""
    return pd.DataFrame(
        [
            {
                "usd": r.total_usd,
                "hours": r.total_hours,
                "days": r.total_days,
                "km": r.total_km,
                "co2_kg": r.total_co2_kg,
                "generalized": r.total_generalized,
                "transfers": r.transfers,
                "path": r.path,
                "lines": " · ".join(r.lines),
            }
            for r in routes
        ],
        index=pd.RangeIndex(1, len(routes) + 1, name="route"),
    )
