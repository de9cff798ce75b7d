"""Numba kernels: Dijkstra on CSR arrays with a 4-ary array heap.

Arrays in, arrays out; nothing here knows about hubs, modes or pandas. A *workspace* is the
set of per-node arrays a search needs (``dist``, ``pred``, ``pos``, ``heap``, ``touched``,
``origin``). It is allocated once, must start "clean" (``dist = inf``, ``pred = -1``,
``pos = -1``), and :func:`reset` cleans only the nodes a search touched, so a short
point-to-point query does not pay to initialise arrays of the whole graph's size.

Predecessors are *edge* ids (positions in ``indices``): with parallel edges the edge, not
just the node, is what a route needs. ``tail[e]`` gives the node an edge leaves.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numpy.typing import NDArray

from corridor._config import ARITY, NO_PRED, parallel, serial

_IN_HEAP_NEVER = -1
_SETTLED = -2


@serial
def _sift_up(
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    pos: NDArray[np.int32],
    i: int,
    k: float,
    v: int,
) -> None:
    """Place node ``v`` with key ``k`` at heap slot ``i`` or above."""
    while i > 0:
        parent = (i - 1) // ARITY
        pk = hkey[parent]
        if pk <= k:
            break
        pn = hnode[parent]
        hkey[i] = pk
        hnode[i] = pn
        pos[pn] = i
        i = parent
    hkey[i] = k
    hnode[i] = v
    pos[v] = i


@serial
def _sift_down(
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    pos: NDArray[np.int32],
    size: int,
    k: float,
    v: int,
) -> None:
    """Place node ``v`` with key ``k`` at the root or below (keys live in the heap)."""
    i = 0
    while True:
        first = ARITY * i + 1
        if first >= size:
            break
        best = first
        bk = hkey[first]
        last = min(first + ARITY, size)
        for c in range(first + 1, last):
            ck = hkey[c]
            if ck < bk:
                best = c
                bk = ck
        if bk >= k:
            break
        bn = hnode[best]
        hkey[i] = bk
        hnode[i] = bn
        pos[bn] = i
        i = best
    hkey[i] = k
    hnode[i] = v
    pos[v] = i


@serial
def dijkstra(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    target: int,
    limit: float,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    origin: NDArray[np.int32],
    pos: NDArray[np.int32],
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    touched: NDArray[np.int32],
) -> int:
    """Shortest paths from ``sources`` (all at distance 0) over a clean workspace.

    Stops when ``target`` (``-1``: none) is settled. Edges of weight ``inf`` are absent;
    distances above ``limit`` are not recorded. ``origin[v]`` is the source ``v`` was
    reached from (tracked only when ``origin`` has a slot per node); ``pred[v]`` the edge
    ``v`` was reached by (kept only when ``pred`` has a slot per node). Returns how many
    nodes were touched (listed in ``touched[:n]``).
    """
    track = origin.shape[0] == dist.shape[0]
    keep_pred = pred.shape[0] == dist.shape[0]
    size = 0
    nt = 0
    for s in sources:
        if dist[s] > 0.0:
            if dist[s] == np.inf:
                touched[nt] = s
                nt += 1
            dist[s] = 0.0
            if keep_pred:
                pred[s] = NO_PRED
            if track:
                origin[s] = s
            if pos[s] == _IN_HEAP_NEVER:
                size += 1
                _sift_up(hkey, hnode, pos, size - 1, 0.0, s)
    while size > 0:
        u = hnode[0]
        du = hkey[0]
        size -= 1
        pos[u] = _SETTLED
        if size > 0:
            _sift_down(hkey, hnode, pos, size, hkey[size], hnode[size])
        if u == target:
            break
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = du + weights[e]
            if nd < dist[v] and nd <= limit:
                p = pos[v]
                if p == _IN_HEAP_NEVER:
                    touched[nt] = v
                    nt += 1
                    size += 1
                    p = size - 1
                dist[v] = nd
                if keep_pred:
                    pred[v] = e
                if track:
                    origin[v] = origin[u]
                _sift_up(hkey, hnode, pos, p, nd, v)
    return nt


@serial
def reset(
    n_touched: int,
    touched: NDArray[np.int32],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    origin: NDArray[np.int32],
    pos: NDArray[np.int32],
) -> None:
    """Return the nodes a search touched to the clean state."""
    track = origin.shape[0] == dist.shape[0]
    keep_pred = pred.shape[0] == dist.shape[0]
    for i in range(n_touched):
        v = touched[i]
        dist[v] = np.inf
        if keep_pred:
            pred[v] = NO_PRED
        if track:
            origin[v] = NO_PRED
        pos[v] = _IN_HEAP_NEVER


@serial
def path_edges(pred: NDArray[np.int32], tail: NDArray[np.int32], target: int) -> NDArray[np.int64]:
    """Edge ids from the search's source to ``target``, in travel order (empty if unreached
    or if ``target`` is a source)."""
    n = 0
    v = target
    while pred[v] != NO_PRED:
        n += 1
        v = tail[pred[v]]
    out = np.empty(n, dtype=np.int64)
    v = target
    for i in range(n - 1, -1, -1):
        e = pred[v]
        out[i] = e
        v = tail[e]
    return out


@serial
def shortest_path(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    tail: NDArray[np.int32],
    source: int,
    target: int,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    origin: NDArray[np.int32],
    pos: NDArray[np.int32],
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    touched: NDArray[np.int32],
) -> tuple[float, NDArray[np.int64]]:
    """Cost and arcs of the best path ``source`` -> ``target`` over a clean workspace, which
    is left clean again. Unreachable: ``(inf, empty)``."""
    src = np.empty(1, dtype=np.int64)
    src[0] = source
    nt = dijkstra(
        indptr, indices, weights, src, target, np.inf, dist, pred, origin, pos, hkey, hnode, touched
    )
    cost = dist[target]
    arcs = path_edges(pred, tail, target) if cost < np.inf else np.empty(0, dtype=np.int64)
    reset(nt, touched, dist, pred, origin, pos)
    return cost, arcs


@serial
def new_workspace(
    n: int, track_origin: bool
) -> tuple[
    NDArray[np.float64],
    NDArray[np.int32],
    NDArray[np.int32],
    NDArray[np.int32],
    NDArray[np.float64],
    NDArray[np.int32],
    NDArray[np.int32],
]:
    """A clean workspace for graphs of ``n`` nodes: dist, pred, origin, pos, hkey, hnode,
    touched. ``origin`` has length 0 unless ``track_origin``."""
    return (
        np.full(n, np.inf),
        np.full(n, NO_PRED, dtype=np.int32),
        np.full(n if track_origin else 0, NO_PRED, dtype=np.int32),
        np.full(n, _IN_HEAP_NEVER, dtype=np.int32),
        np.empty(n, dtype=np.float64),
        np.empty(n, dtype=np.int32),
        np.empty(n, dtype=np.int32),
    )


@serial
def _copy_touched(
    nt: int,
    touched: NDArray[np.int32],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    want_pred: bool,
    j: int,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
) -> None:
    """Row ``j`` of the many-to-all outputs from a search's touched nodes."""
    for i in range(nt):
        v = touched[i]
        out_dist[j, v] = dist[v]
        if want_pred:
            out_pred[j, v] = pred[v]


@parallel
def many_to_all(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    limit: float,
    want_pred: bool,
    n_chunks: int,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
) -> None:
    """One-to-all from each source: row ``j`` of the outputs for ``sources[j]``.

    ``out_dist`` must be filled with ``inf`` and ``out_pred`` (if wanted) with ``-1``.
    Sources are shared out in ``n_chunks`` chunks (a few per thread); each chunk has its
    own workspace.
    """
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    for c in nb.prange(n_chunks):
        dist, pred, origin, pos, hkey, hnode, touched = new_workspace(n, False)
        src = np.empty(1, dtype=np.int64)
        for j in range(c, k, n_chunks):
            src[0] = sources[j]
            nt = dijkstra(
                indptr,
                indices,
                weights,
                src,
                -1,
                limit,
                dist,
                pred,
                origin,
                pos,
                hkey,
                hnode,
                touched,
            )
            _copy_touched(nt, touched, dist, pred, want_pred, j, out_dist, out_pred)
            reset(nt, touched, dist, pred, origin, pos)


@serial
def min_over_sources(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    limit: float,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
    out_origin: NDArray[np.int32],
) -> None:
    """Distance from the nearest of ``sources``: one multi-source search (scipy ``min_only``).

    Outputs must be filled with ``inf`` / ``-1`` / ``-1``.
    """
    n = indptr.shape[0] - 1
    pos = np.full(n, _IN_HEAP_NEVER, dtype=np.int32)
    hkey = np.empty(n, dtype=np.float64)
    hnode = np.empty(n, dtype=np.int32)
    touched = np.empty(n, dtype=np.int32)
    dijkstra(
        indptr,
        indices,
        weights,
        sources,
        -1,
        limit,
        out_dist,
        out_pred,
        out_origin,
        pos,
        hkey,
        hnode,
        touched,
    )


@parallel
def sample_paths(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    tail: NDArray[np.int32],
    arc_of: NDArray[np.int64],
    components: NDArray[np.float64],
    coef: NDArray[np.float64],
    mask: NDArray[np.float64],
    source: int,
    target: int,
    n_chunks: int,
    out: NDArray[np.float64],
) -> None:
    """Best path for each of many weightings of one graph.

    Sample ``s`` weighs base arc ``a`` as ``mask[a] + coef[s] @ components[:, a]``; arc
    ``e`` of the searched graph stands for base arc ``arc_of[e]`` (``-1``: a free arc, as
    between the layers of a gateway search). ``out[s]`` receives the components summed
    along the sample's best path from ``source`` to ``target``, or ``inf`` if none.
    """
    n = indptr.shape[0] - 1
    n_samples = coef.shape[0]
    n_comp = components.shape[0]
    m = components.shape[1]
    ml = indices.shape[0]
    for c in nb.prange(n_chunks):
        dist, pred, origin, pos, hkey, hnode, touched = new_workspace(n, False)
        base = np.empty(m)
        w = np.empty(ml)
        src = np.empty(1, dtype=np.int64)
        src[0] = source
        for s in range(c, n_samples, n_chunks):
            for a in range(m):
                acc = mask[a]
                for k in range(n_comp):
                    acc += coef[s, k] * components[k, a]
                base[a] = acc
            for e in range(ml):
                a = arc_of[e]
                w[e] = base[a] if a >= 0 else 0.0
            nt = dijkstra(
                indptr,
                indices,
                w,
                src,
                target,
                np.inf,
                dist,
                pred,
                origin,
                pos,
                hkey,
                hnode,
                touched,
            )
            if dist[target] == np.inf:
                for k in range(n_comp):
                    out[s, k] = np.inf
            else:
                for k in range(n_comp):
                    out[s, k] = 0.0
                v = target
                while pred[v] != NO_PRED:
                    e = pred[v]
                    a = arc_of[e]
                    if a >= 0:
                        for k in range(n_comp):
                            out[s, k] += components[k, a]
                    v = tail[e]
            reset(nt, touched, dist, pred, origin, pos)


@serial
def _lex_less(f: NDArray[np.float64], a: int, b: int) -> bool:
    """Label ``a`` before label ``b``: lexicographic on their keys."""
    for k in range(f.shape[1]):
        if f[a, k] < f[b, k]:
            return True
        if f[a, k] > f[b, k]:
            return False
    return a < b


@serial
def _lheap_push(heap: NDArray[np.int32], size: int, f: NDArray[np.float64], lab: int) -> int:
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if not _lex_less(f, lab, heap[parent]):
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = lab
    return size + 1


@serial
def _lheap_pop(heap: NDArray[np.int32], size: int, f: NDArray[np.float64]) -> int:
    """Remove the root; ``size`` is the size before. Returns the new size."""
    size -= 1
    last = heap[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and _lex_less(f, heap[c + 1], heap[c]):
            c += 1
        if not _lex_less(f, heap[c], last):
            break
        heap[i] = heap[c]
        i = c
    if size > 0:
        heap[i] = last
    return size


@serial
def _dominated(
    vec: NDArray[np.float64], head: int, nxt: NDArray[np.int32], cost: NDArray[np.float64]
) -> bool:
    """Is ``vec`` weakly dominated by a label of the list starting at ``head``?"""
    lab = head
    d = vec.shape[0]
    while lab != NO_PRED:
        ok = True
        for k in range(d):
            if cost[lab, k] > vec[k]:
                ok = False
                break
        if ok:
            return True
        lab = nxt[lab]
    return False


@serial
def pareto_labels(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    costs: NDArray[np.float64],
    lower: NDArray[np.float64],
    source: int,
    target: int,
    cost: NDArray[np.float64],
    key: NDArray[np.float64],
    node: NDArray[np.int32],
    parent: NDArray[np.int32],
    arc: NDArray[np.int32],
    solution: NDArray[np.bool_],
) -> int:
    """Exact Pareto set of paths ``source`` -> ``target`` over ``d`` criteria (label setting).

    ``costs`` is ``(d, m)``; ``lower[:, v]`` a lower bound of each criterion from ``v`` to
    the target (zeros are valid). Labels pop in lexicographic order of cost + bound; a
    label weakly dominated at its node, or whose cost + bound is weakly dominated by a
    solution, is dropped. The label arrays (``cost``, ``key``, ``node``, ``parent``,
    ``arc``, ``solution``) have one slot per label; ``solution`` must start False and marks
    the Pareto-optimal labels at the target, whose paths follow ``parent`` and ``arc``.
    Returns the number of labels used, or ``-1`` when the arrays were too small.
    """
    n = indptr.shape[0] - 1
    d = costs.shape[0]
    cap = node.shape[0]
    perm_head = np.full(n, NO_PRED, dtype=np.int32)
    perm_next = np.full(cap, NO_PRED, dtype=np.int32)
    heap = np.empty(cap, dtype=np.int32)
    vec = np.empty(d)
    size = 0
    used = 1
    for k in range(d):
        cost[0, k] = 0.0
        key[0, k] = lower[k, source]
    node[0] = source
    parent[0] = NO_PRED
    arc[0] = NO_PRED
    size = _lheap_push(heap, size, key, 0)
    while size > 0:
        lab = heap[0]
        size = _lheap_pop(heap, size, key)
        v = node[lab]
        if _dominated(cost[lab], perm_head[v], perm_next, cost):
            continue
        if v != target and _dominated(key[lab], perm_head[target], perm_next, cost):
            continue
        perm_next[lab] = perm_head[v]
        perm_head[v] = lab
        if v == target:
            solution[lab] = True
            continue
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            finite = True
            for k in range(d):
                vec[k] = cost[lab, k] + costs[k, e]
                if not np.isfinite(vec[k]):
                    finite = False
            if not finite or _dominated(vec, perm_head[w], perm_next, cost):
                continue
            if used >= cap:
                return -1
            for k in range(d):
                key[used, k] = vec[k] + lower[k, w]
            if _dominated(key[used], perm_head[target], perm_next, cost):
                continue
            for k in range(d):
                cost[used, k] = vec[k]
            node[used] = w
            parent[used] = lab
            arc[used] = e
            size = _lheap_push(heap, size, key, used)
            used += 1
    return used


@serial
def _pair_totals(
    j: int,
    targets: NDArray[np.int64],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    tail: NDArray[np.int32],
    criteria: NDArray[np.float64],
    arc_bits: NDArray[np.uint64],
    gate_bits: NDArray[np.uint64],
    step_masks: NDArray[np.uint64],
    out: NDArray[np.float64],
    label: NDArray[np.int32],
) -> None:
    """After a search from source ``j``: totals of ``criteria`` along the path to each
    target into ``out[j, ti]``, and the corridor label into ``label[j, ti]`` (see
    :func:`sweep_pairs`)."""
    n_crit = criteria.shape[0]
    for ti in range(targets.shape[0]):
        v = targets[ti]
        label[j, ti] = -1
        if dist[v] == np.inf:
            for q in range(n_crit):
                out[j, ti, q] = np.inf
            continue
        for q in range(n_crit):
            out[j, ti, q] = 0.0
        if pred[v] == NO_PRED:  # the source itself: an empty path, no corridor
            continue
        allowed = ~np.uint64(0)
        seen = np.uint64(0)
        w = v
        while pred[w] != NO_PRED:
            e = pred[w]
            for q in range(n_crit):
                out[j, ti, q] += criteria[q, e]
            allowed &= arc_bits[e]
            seen |= gate_bits[e]
            w = tail[e]
        for i in range(step_masks.shape[0]):
            if (allowed >> np.uint64(i)) & np.uint64(1) and (seen & step_masks[i]) == step_masks[i]:
                label[j, ti] = i
                break


@parallel
def sweep_pairs(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    tail: NDArray[np.int32],
    criteria: NDArray[np.float64],
    sources: NDArray[np.int64],
    targets: NDArray[np.int64],
    arc_bits: NDArray[np.uint64],
    gate_bits: NDArray[np.uint64],
    step_masks: NDArray[np.uint64],
    n_chunks: int,
    out: NDArray[np.float64],
    label: NDArray[np.int32],
) -> None:
    """Many-to-many best paths with their criteria totals and the corridor each belongs to.

    Bit ``i`` of ``arc_bits[e]`` says arc ``e`` may be used by corridor ``i``; ``gate_bits[e]``
    has the bits of the gateway steps arc ``e`` meets, and ``step_masks[i]`` the bits of
    corridor ``i``'s steps. A path belongs to corridor ``i`` when all its arcs allow ``i``
    and it meets every step of ``i`` (order is not checked); ``label`` gets the lowest such
    ``i``
    (``-1``: none, no path, or the empty path from a node to itself). ``out`` is
    ``(k, t, c)``; unreachable pairs get ``inf``.
    """
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    for c in nb.prange(n_chunks):
        dist, pred, origin, pos, hkey, hnode, touched = new_workspace(n, False)
        src = np.empty(1, dtype=np.int64)
        for j in range(c, k, n_chunks):
            src[0] = sources[j]
            nt = dijkstra(
                indptr, indices, weights, src, -1, np.inf, dist, pred, origin, pos, hkey,
                hnode, touched,
            )  # fmt: skip
            _pair_totals(
                j, targets, dist, pred, tail, criteria, arc_bits, gate_bits, step_masks,
                out, label,
            )  # fmt: skip
            reset(nt, touched, dist, pred, origin, pos)


@parallel
def sweep_batch(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    tail: NDArray[np.int32],
    criteria: NDArray[np.float64],
    by: int,
    sources: NDArray[np.int64],
    targets: NDArray[np.int64],
    arc_bits: NDArray[np.uint64],
    gate_bits: NDArray[np.uint64],
    step_masks: NDArray[np.uint64],
    n_chunks: int,
    out: NDArray[np.float64],
    label: NDArray[np.int32],
) -> None:
    """:func:`sweep_pairs` for many weightings of one graph at once: ``criteria`` is
    ``(s, c, m)`` (scenario ``i`` routes by ``criteria[i, by]``), ``out`` ``(s, k, t, c)``
    (``inf`` for unreachable pairs) and ``label`` ``(s, k, t)``. The searches of every
    scenario and source share one parallel region."""
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    n_items = criteria.shape[0] * k
    for c in nb.prange(n_chunks):
        dist, pred, origin, pos, hkey, hnode, touched = new_workspace(n, False)
        src = np.empty(1, dtype=np.int64)
        for item in range(c, n_items, n_chunks):
            s = item // k
            j = item - s * k
            src[0] = sources[j]
            nt = dijkstra(
                indptr, indices, criteria[s, by], src, -1, np.inf, dist, pred, origin, pos,
                hkey, hnode, touched,
            )  # fmt: skip
            _pair_totals(
                j, targets, dist, pred, tail, criteria[s], arc_bits, gate_bits, step_masks,
                out[s], label[s],
            )  # fmt: skip
            reset(nt, touched, dist, pred, origin, pos)


@serial
def td_departure(dep: NDArray[np.float64], period: float, t: float) -> float:
    """First departure at or after absolute time ``t`` from a repeating timetable.

    ``dep`` holds sorted departure offsets in ``[0, period)``; they repeat every ``period``
    hours (``168``: a weekly timetable), so the answer is the least ``k * period + dep[i]``
    that is ``>= t``, wrapping into the next period after the last offset. An empty ``dep``
    is a constant arc: it departs at ``t``. Callers recover the waits along a path by
    chaining ``d = td_departure(td_dep[td_ptr[e]:td_ptr[e + 1]], period, t)`` and
    ``t = d + hours[e]`` over its arcs.
    """
    n = dep.shape[0]
    if n == 0:
        return t
    k = np.floor(t / period)
    r = t - k * period
    if r < 0.0:  # t / period rounded up to the next whole period
        k -= 1.0
    elif r >= period:  # ... or down
        k += 1.0
    i = np.searchsorted(dep, t - k * period)
    if i == n:  # after the period's last departure: the next period's first
        k += 1.0
        i = 0
    return float(k * period + dep[i])


@serial
def earliest_arrival(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    hours: NDArray[np.float64],
    tail: NDArray[np.int32],
    td_ptr: NDArray[np.int64],
    td_dep: NDArray[np.float64],
    period: float,
    source: int,
    t0: float,
    target: int,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    origin: NDArray[np.int32],
    pos: NDArray[np.int32],
    hkey: NDArray[np.float64],
    hnode: NDArray[np.int32],
    touched: NDArray[np.int32],
) -> tuple[float, int]:
    """Time-dependent earliest arrival from ``source``, left at absolute time ``t0`` (hours).

    Dijkstra on arrival times over a clean workspace; exact because the network is FIFO
    (leaving later never arrives earlier). Arc ``e`` is constant when
    ``td_ptr[e] == td_ptr[e + 1]``: left at ``t``, it arrives at ``t + hours[e]``. Otherwise
    ``td_dep[td_ptr[e]:td_ptr[e + 1]]`` are its sorted departure offsets within a period of
    ``period`` hours: it departs at :func:`td_departure` of ``t`` and arrives ``hours[e]``
    later. Arcs of ``inf`` hours are unusable. Stops when ``target`` (``-1``: none) is
    settled.

    ``dist[v]`` gets the arrival time at ``v`` (``inf``: unreached), ``pred[v]`` the edge
    ``v`` was reached by (kept only when ``pred`` has a slot per node), ``origin[v]`` the
    source (only when ``origin`` has a slot per node). ``tail`` is unused by the search:
    the route is ``path_edges(pred, tail, target)``. Returns ``(arrival, n_touched)``:
    the arrival at ``target`` (``inf`` if unreachable; with ``target = -1`` the latest
    arrival settled, i.e. when everything reachable has been reached) and how many nodes
    were touched (``touched[:n_touched]``, for :func:`reset`). The workspace is left dirty
    so that the caller can read the route first.
    """
    track = origin.shape[0] == dist.shape[0]
    keep_pred = pred.shape[0] == dist.shape[0]
    dist[source] = t0
    touched[0] = source
    nt = 1
    if keep_pred:
        pred[source] = NO_PRED
    if track:
        origin[source] = source
    _sift_up(hkey, hnode, pos, 0, t0, source)
    size = 1
    last = t0
    while size > 0:
        u = hnode[0]
        tu = hkey[0]
        size -= 1
        pos[u] = _SETTLED
        if size > 0:
            _sift_down(hkey, hnode, pos, size, hkey[size], hnode[size])
        last = tu
        if u == target:
            break
        for e in range(indptr[u], indptr[u + 1]):
            h = hours[e]
            if h == np.inf:
                continue
            lo = td_ptr[e]
            hi = td_ptr[e + 1]
            ta = (tu if lo == hi else td_departure(td_dep[lo:hi], period, tu)) + h
            v = indices[e]
            if ta < dist[v]:
                p = pos[v]
                if p == _IN_HEAP_NEVER:
                    touched[nt] = v
                    nt += 1
                    size += 1
                    p = size - 1
                dist[v] = ta
                if keep_pred:
                    pred[v] = e
                if track:
                    origin[v] = source
                _sift_up(hkey, hnode, pos, p, ta, v)
    arrival = dist[target] if target >= 0 else last
    return arrival, nt


@serial
def sample_sums(
    hours: NDArray[np.float64],
    family: NDArray[np.int8],
    shape: NDArray[np.float64],
    shift: NDArray[np.float64],
    n_samples: int,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """``n_samples`` draws of ``sum_g hours[g] * (shift[g] + (1 - shift[g]) * Y_g)``.

    ``Y_g`` is a unit-mean variate drawn once per group and sample from ``rng`` (a NumPy
    ``Generator``: a seeded one reproduces the draws): family 0 none (``Y = 1``), 1 uniform
    on (0, 2), 2 lognormal ``exp(shape * Z - shape**2 / 2)``, 3 gamma with shape ``shape``
    and scale ``1 / shape``.
    """
    n = hours.shape[0]
    fixed = 0.0
    scale = np.empty(n)
    for g in range(n):
        f = 1.0 if family[g] == 0 else shift[g]
        fixed += hours[g] * f
        scale[g] = hours[g] * (1.0 - f)
    out = np.empty(n_samples)
    for i in range(n_samples):
        t = fixed
        for g in range(n):
            fam = family[g]
            if fam == 0:
                continue
            if fam == 1:
                y = 2.0 * rng.random()
            elif fam == 2:
                s = shape[g]
                y = np.exp(s * rng.standard_normal() - 0.5 * s * s)
            else:
                k = shape[g]
                y = rng.gamma(k, 1.0 / k)
            t += scale[g] * y
        out[i] = t
    return out


@serial
def od_paths(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    tail: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    first: NDArray[np.int64],
    targets: NDArray[np.int64],
    paths: NDArray[np.int32],
    lengths: NDArray[np.int32],
    costs: NDArray[np.float64],
) -> None:
    """Shortest path of every origin-destination pair, arcs in travel order.

    Pairs are grouped by source: the pairs of ``sources[j]`` are ``first[j]`` up to
    ``first[j + 1]``, each with its target node in ``targets``. Row ``p`` of ``paths``
    receives the edge ids of pair ``p``'s path (``lengths[p]`` of them; ``-1`` when the
    target is unreachable, ``-2`` when the path has more edges than ``paths`` has columns)
    and ``costs[p]`` its cost (``inf`` if unreachable). One search per source (serial: the
    assignment calls it once per class and iteration, on small graphs, where starting
    threads would cost more than the searches).
    """
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    width = paths.shape[1]
    dist, pred, origin, pos, hkey, hnode, touched = new_workspace(n, False)
    src = np.empty(1, dtype=np.int64)
    for j in range(k):
        src[0] = sources[j]
        nt = dijkstra(
            indptr,
            indices,
            weights,
            src,
            -1,
            np.inf,
            dist,
            pred,
            origin,
            pos,
            hkey,
            hnode,
            touched,
        )
        for p in range(first[j], first[j + 1]):
            t = targets[p]
            costs[p] = dist[t]
            if dist[t] == np.inf:
                lengths[p] = -1
                continue
            count = 0
            v = t
            while pred[v] != NO_PRED:
                count += 1
                v = tail[pred[v]]
            if count > width:
                lengths[p] = -2
                continue
            lengths[p] = count
            v = t
            i = count - 1
            while pred[v] != NO_PRED:
                e = pred[v]
                paths[p, i] = e
                i -= 1
                v = tail[e]
        reset(nt, touched, dist, pred, origin, pos)


@serial
def one_to_all(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    source: int,
    limit: float,
    want_pred: bool,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
) -> None:
    """One-to-all from one source, serially (no parallel region to start for a single
    search). ``out_dist`` (filled with ``inf``) is the search's own distance array;
    ``out_pred`` (filled with ``-1``) receives the predecessor edges if wanted."""
    n = indptr.shape[0] - 1
    pred = out_pred if want_pred else np.empty(n, dtype=np.int32)
    if not want_pred:
        pred[:] = NO_PRED
    origin = np.empty(0, dtype=np.int32)
    pos = np.full(n, _IN_HEAP_NEVER, dtype=np.int32)
    hkey = np.empty(n, dtype=np.float64)
    hnode = np.empty(n, dtype=np.int32)
    touched = np.empty(n, dtype=np.int32)
    src = np.empty(1, dtype=np.int64)
    src[0] = source
    dijkstra(
        indptr, indices, weights, src, -1, limit, out_dist, pred, origin, pos, hkey, hnode,
        touched,
    )  # fmt: skip


# --------------------------------------------------------------------------- bucket queue
# A bucket queue (Dial's algorithm with buckets of width ``delta``) instead of the heap, for
# graphs whose positive weights span a bounded ratio. Buckets are circular: a node waits in
# bucket ``floor(d / delta) mod n_buckets``, which is exact as long as ``n_buckets`` exceeds
# ``max weight / delta + 1``. It is a label-correcting search: a node whose distance drops
# after it left its bucket is queued again, so the distances are exact for any ``delta``
# and non-negative weights; with ``delta`` at most the smallest positive weight no node is
# ever queued twice (every arc leads to a later bucket), which is the fast case.


@serial
def _bucket_unlink(
    v: int, b: int, head: NDArray[np.int32], bnext: NDArray[np.int32], bprev: NDArray[np.int32]
) -> None:
    nx = bnext[v]
    pv = bprev[v]
    if pv >= 0:
        bnext[pv] = nx
    else:
        head[b] = nx
    if nx >= 0:
        bprev[nx] = pv


@serial
def bucket_search(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    source: int,
    limit: float,
    delta: float,
    n_buckets: int,
    want_pred: bool,
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    head: NDArray[np.int32],
    bnext: NDArray[np.int32],
    bprev: NDArray[np.int32],
    bucket: NDArray[np.int32],
    touched: NDArray[np.int32],
) -> int:
    """One-to-all from ``source`` with a circular bucket queue (see above) over a clean
    workspace: ``dist`` inf, ``pred`` -1 (if wanted), ``head`` -1, ``bucket`` -1 (the
    bucket a node waits in, -1 for none). Returns how many nodes were touched
    (``touched[:n]``); :func:`bucket_reset` cleans them."""
    inv = 1.0 / delta
    dist[source] = 0.0
    touched[0] = source
    nt = 1
    bucket[source] = 0
    bnext[source] = -1
    bprev[source] = -1
    head[0] = source
    queued = 1
    cur = 0  # absolute bucket number being emptied
    while queued > 0:
        b = cur % n_buckets
        u = head[b]
        if u < 0:
            cur += 1
            continue
        # pop u from bucket b
        nxt = bnext[u]
        head[b] = nxt
        if nxt >= 0:
            bprev[nxt] = -1
        bucket[u] = -1
        queued -= 1
        du = dist[u]
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = du + weights[e]
            if nd < dist[v] and nd <= limit:
                old = bucket[v]
                if old >= 0:
                    _bucket_unlink(v, old, head, bnext, bprev)
                    queued -= 1
                elif dist[v] == np.inf:
                    touched[nt] = v
                    nt += 1
                dist[v] = nd
                if want_pred:
                    pred[v] = e
                ab = int(nd * inv)
                if ab < cur:  # rounding at a bucket's edge: it is being emptied now
                    ab = cur
                nb_ = np.int32(ab % n_buckets)
                h = head[nb_]
                bnext[v] = h
                bprev[v] = -1
                if h >= 0:
                    bprev[h] = v
                head[nb_] = v
                bucket[v] = nb_
                queued += 1
    return nt


@serial
def bucket_reset(
    n_touched: int,
    touched: NDArray[np.int32],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    want_pred: bool,
) -> None:
    """Clean what :func:`bucket_search` touched (its bucket lists end empty)."""
    for i in range(n_touched):
        v = touched[i]
        dist[v] = np.inf
        if want_pred:
            pred[v] = NO_PRED


@serial
def bucket_one_to_all(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    source: int,
    limit: float,
    delta: float,
    n_buckets: int,
    want_pred: bool,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
) -> None:
    """:func:`one_to_all` with the bucket queue: ``out_dist`` (inf) is the search's own
    distance array, ``out_pred`` (-1) its predecessor edges if wanted."""
    n = indptr.shape[0] - 1
    head = np.full(n_buckets, -1, dtype=np.int32)
    bnext = np.empty(n, dtype=np.int32)
    bprev = np.empty(n, dtype=np.int32)
    bucket = np.full(n, -1, dtype=np.int32)
    touched = np.empty(n, dtype=np.int32)
    bucket_search(
        indptr, indices, weights, source, limit, delta, n_buckets, want_pred, out_dist,
        out_pred, head, bnext, bprev, bucket, touched,
    )  # fmt: skip


@parallel
def bucket_many_to_all(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    limit: float,
    delta: float,
    n_buckets: int,
    want_pred: bool,
    n_chunks: int,
    out_dist: NDArray[np.float64],
    out_pred: NDArray[np.int32],
) -> None:
    """:func:`many_to_all` with the bucket queue; each chunk of sources searches on its own
    workspace and copies the touched nodes out."""
    n = indptr.shape[0] - 1
    k = sources.shape[0]
    for c in nb.prange(n_chunks):
        dist = np.full(n, np.inf)
        pred = np.full(n if want_pred else 0, NO_PRED, dtype=np.int32)
        head = np.full(n_buckets, -1, dtype=np.int32)
        bnext = np.empty(n, dtype=np.int32)
        bprev = np.empty(n, dtype=np.int32)
        bucket = np.full(n, -1, dtype=np.int32)
        touched = np.empty(n, dtype=np.int32)
        for j in range(c, k, n_chunks):
            nt = bucket_search(
                indptr, indices, weights, sources[j], limit, delta, n_buckets, want_pred,
                dist, pred, head, bnext, bprev, bucket, touched,
            )  # fmt: skip
            _copy_touched(nt, touched, dist, pred, want_pred, j, out_dist, out_pred)
            bucket_reset(nt, touched, dist, pred, want_pred)


@serial
def bfs_order(indptr: NDArray[np.int32], indices: NDArray[np.int32]) -> NDArray[np.int32]:
    """Nodes in breadth-first order over the arcs (each weakly-unreached part started from
    its lowest id): ``order[new] = old``. Neighbours get nearby numbers, so a search that
    follows arcs reads nearby memory."""
    n = indptr.shape[0] - 1
    order = np.empty(n, dtype=np.int32)
    seen = np.zeros(n, dtype=np.bool_)
    tail = 0
    front = 0
    for root in range(n):
        if seen[root]:
            continue
        seen[root] = True
        order[tail] = root
        tail += 1
        while front < tail:
            u = order[front]
            front += 1
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if not seen[v]:
                    seen[v] = True
                    order[tail] = v
                    tail += 1
    return order


@serial
def permute_csr(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    order: NDArray[np.int32],
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64], NDArray[np.int64]]:
    """The graph renumbered by ``order`` (``order[new] = old``): ``(indptr, indices,
    weights, edge_of)``, ``edge_of[new edge] = old edge``, arcs of a node in their old
    order."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    rank = np.empty(n, dtype=np.int32)
    for i in range(n):
        rank[order[i]] = i
    p = np.empty(n + 1, dtype=np.int32)
    out_idx = np.empty(m, dtype=np.int32)
    out_w = np.empty(m, dtype=np.float64)
    edge_of = np.empty(m, dtype=np.int64)
    p[0] = 0
    k = 0
    for i in range(n):
        u = order[i]
        for e in range(indptr[u], indptr[u + 1]):
            out_idx[k] = rank[indices[e]]
            out_w[k] = weights[e]
            edge_of[k] = e
            k += 1
        p[i + 1] = k
    return p, out_idx, out_w, edge_of


@serial
def _mix(x: np.uint64) -> np.uint64:
    """Fold a 64-bit word's high half onto its low half, so that a change in its high bits
    (a weight's exponent) reaches the low bits that the multiplications of
    :func:`fingerprint` carry upwards (one shift and one xor: the checksum stays a few ms
    per ten million entries)."""
    return x ^ (x >> np.uint64(32))


@serial
def fingerprint(
    indptr: NDArray[np.int32], indices: NDArray[np.int32], weights: NDArray[np.float64]
) -> tuple[np.uint64, float, float]:
    """A 64-bit checksum of a CSR graph (every entry counts, in order), which tells a graph
    seen before from one changed in place, and its smallest and largest weight (``inf,
    -inf`` when it has none), in one pass. Each word is mixed (:func:`_mix`) before it is
    folded in, so that graphs differing only in the high bits of their weights (0 against
    2) do not share a checksum; a checksum is still only a hint (equal graphs give equal
    checksums, not the other way round). Four independent lanes keep the multiplications
    from waiting on each other. The products wrap modulo 2**64 by design: without the JIT,
    call it under ``numpy.errstate(over="ignore")``."""
    lo = np.inf
    hi = -np.inf
    for i in range(weights.shape[0]):
        x = weights[i]
        lo = min(lo, x)
        hi = max(hi, x)
    prime = np.uint64(1099511628211)
    h0 = np.uint64(1469598103934665603)
    h1 = h0 ^ np.uint64(1)
    h2 = h0 ^ np.uint64(2)
    h3 = h0 ^ np.uint64(3)
    for i in range(indptr.shape[0]):
        h0 = (h0 ^ _mix(np.uint64(indptr[i]))) * prime
    m = indices.shape[0]
    bits = weights.view(np.uint64)
    q = m - m % 2
    for i in range(0, q, 2):
        h1 = (h1 ^ _mix(np.uint64(indices[i]))) * prime
        h2 = (h2 ^ _mix(np.uint64(indices[i + 1]))) * prime
        h3 = (h3 ^ _mix(bits[i])) * prime
        h0 = (h0 ^ _mix(bits[i + 1])) * prime
    for i in range(q, m):
        h1 = (h1 ^ _mix(np.uint64(indices[i]))) * prime
        h3 = (h3 ^ _mix(bits[i])) * prime
    return _mix(((h0 * prime ^ h1) * prime ^ h2) * prime ^ h3), lo, hi


@serial
def weight_stats(w: NDArray[np.float64]) -> tuple[int, int, float, float]:
    """``(negative or NaN, +inf, smallest, largest)`` of ``w`` in one pass (``inf, -inf``
    when empty; NaN never counts as smallest or largest)."""
    bad = 0
    posinf = 0
    lo = np.inf
    hi = -np.inf
    for i in range(w.shape[0]):
        x = w[i]
        if not (x >= 0.0):
            bad += 1
        elif x == np.inf:
            posinf += 1
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return bad, posinf, lo, hi
