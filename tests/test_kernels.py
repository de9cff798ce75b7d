"""The Numba kernels and the scipy-compatible wrapper, against scipy and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from _graphs import graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor import DataError, _kernels, csgraph
from corridor._config import NO_PRED, SCIPY_NO_PRED

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parallel_min(g: sp.csr_matrix) -> dict[tuple[int, int], float]:
    coo = g.tocoo()
    best: dict[tuple[int, int], float] = {}
    for i, j, w in zip(coo.row, coo.col, coo.data, strict=True):
        best[(int(i), int(j))] = min(best.get((int(i), int(j)), np.inf), float(w))
    return best


def _check_predecessors(
    g: sp.csr_matrix, dist: np.ndarray, pred: np.ndarray, sources: np.ndarray, directed: bool
) -> None:
    """Each predecessor lies on a shortest path: dist[p] + w(p, v) == dist[v]."""
    w = _parallel_min(g)
    if not directed:
        for (i, j), x in list(w.items()):
            w[(j, i)] = min(w.get((j, i), np.inf), x)
    for row, s in enumerate(sources):
        for v in range(dist.shape[1]):
            p = pred[row, v]
            if v == s or not np.isfinite(dist[row, v]):
                assert p == SCIPY_NO_PRED
                continue
            assert p != SCIPY_NO_PRED
            assert dist[row, p] + w[(int(p), v)] == pytest.approx(
                dist[row, v], rel=1e-12, abs=1e-12
            )


@SETTINGS
@given(graphs(), st.booleans())
def test_matches_scipy_all_pairs(g: sp.csr_matrix, directed: bool) -> None:
    expected = scipy_dijkstra(g, directed=directed)
    got, pred = csgraph.dijkstra(g, directed=directed, return_predecessors=True)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    _check_predecessors(g, got, pred, np.arange(g.shape[0]), directed)


@SETTINGS
@given(graphs(), st.data())
def test_matches_scipy_options(g: sp.csr_matrix, data: st.DataObject) -> None:
    n = g.shape[0]
    indices = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=4))
    limit = data.draw(st.sampled_from([np.inf, 0.0, 3.0, 50.0]))
    unweighted = data.draw(st.booleans())
    kw = {"indices": indices, "limit": limit, "unweighted": unweighted}
    np.testing.assert_allclose(csgraph.dijkstra(g, **kw), scipy_dijkstra(g, **kw), rtol=1e-12)
    d1, _p1, s1 = csgraph.dijkstra(g, min_only=True, return_predecessors=True, **kw)
    d0, _, s0 = scipy_dijkstra(g, min_only=True, return_predecessors=True, **kw)
    np.testing.assert_allclose(d1, d0, rtol=1e-12)
    assert ((s1 == SCIPY_NO_PRED) == (s0 == SCIPY_NO_PRED)).all()


def test_scalar_index_and_dense_input() -> None:
    dense = np.array([[0, 4, 1, 0], [0, 0, 0, 1], [0, 2, 0, 7], [0, 0, 0, 0]], dtype=float)
    d, p = csgraph.dijkstra(dense, indices=0, return_predecessors=True)
    assert d.tolist() == [0.0, 3.0, 1.0, 4.0]
    assert p.tolist() == [SCIPY_NO_PRED, 2, 0, 1]
    assert p.dtype == np.int32
    np.testing.assert_array_equal(csgraph.dijkstra(dense), scipy_dijkstra(dense))


def test_explicit_zero_is_an_edge_in_sparse_input() -> None:
    g = sp.csr_matrix(
        (np.array([0.0, 2.0]), np.array([1, 2]), np.array([0, 1, 2, 2])), shape=(3, 3)
    )
    assert csgraph.dijkstra(g, indices=0).tolist() == [0.0, 0.0, 2.0]


def test_infinite_weight_is_no_edge() -> None:
    g = sp.csr_matrix((np.array([np.inf]), np.array([1]), np.array([0, 1, 1])), shape=(2, 2))
    d, p = csgraph.dijkstra(g, indices=0, return_predecessors=True)
    assert d.tolist() == [0.0, np.inf]
    assert p.tolist() == [SCIPY_NO_PRED, SCIPY_NO_PRED]


def test_empty_graph() -> None:
    d = csgraph.dijkstra(sp.csr_matrix((3, 3)), indices=[1], return_predecessors=True)
    assert d[0].tolist() == [[np.inf, 0.0, np.inf]]


@pytest.mark.parametrize(
    ("graph", "kw", "pattern"),
    [
        (np.array([[0, -1.0], [0, 0]]), {}, r"1 negative weight, first at \(0, 1\) = -1\.0"),
        (sp.csr_matrix(np.array([[0, np.nan], [0, 0]])), {}, r"1 NaN weight, first at \(0, 1\)"),
        (
            sp.csr_matrix(np.array([[0, 1.0], [-3.0, 0]])),
            {},
            r"1 negative weight, first at \(1, 0\) = -3\.0",
        ),
        (np.array([[0, -1.0], [-2.0, 0]]), {}, r"2 negative or NaN weights"),
        (np.ones((2, 3)), {}, r"graph should be a square array, got shape \(2, 3\)"),
        (np.ones(3), {}, r"graph should be a square array"),
        (np.ones((2, 2)), {"indices": 5}, r"indices out of range 0\.\.\.1"),
        (np.ones((2, 2)), {"limit": -1.0}, r"limit must be >= 0"),
    ],
)
def test_bad_input(graph: object, kw: dict[str, object], pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        csgraph.dijkstra(graph, **kw)


@SETTINGS
@given(graphs(), st.data())
def test_point_to_point_reuses_a_clean_workspace(g: sp.csr_matrix, data: st.DataObject) -> None:
    indptr, cols, w = csgraph.to_csr_arrays(g)
    n = g.shape[0]
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    full = scipy_dijkstra(g)
    ws = _kernels.new_workspace(n, False)
    dist, pred, origin, pos, _hkey, _hnode, touched = ws
    for _ in range(3):
        s = data.draw(st.integers(0, n - 1))
        t = data.draw(st.integers(0, n - 1))
        nt = _kernels.dijkstra(indptr, cols, w, np.array([s], dtype=np.int64), t, np.inf, *ws)
        assert dist[t] == pytest.approx(full[s, t])
        arcs = _kernels.path_edges(pred, tail, t)
        if np.isfinite(full[s, t]) and s != t:
            assert tail[arcs[0]] == s
            assert cols[arcs[-1]] == t
            assert w[arcs].sum() == pytest.approx(full[s, t])
            assert (cols[arcs[:-1]] == tail[arcs[1:]]).all()
        else:
            assert arcs.size == 0
        _kernels.reset(nt, touched, dist, pred, origin, pos)
        assert np.isinf(dist).all()
        assert (pred == NO_PRED).all()
        assert (pos == -1).all()


def _many_to_many(indptr, indices, w, tail, crit, srcs, dsts, chunks, out):  # type: ignore[no-untyped-def]
    """Totals only: sweep_pairs with every arc open to one corridor and no gateways."""
    lab = np.full(out.shape[:2], -1, dtype=np.int32)
    everything = np.full(indices.size, ~np.uint64(0), dtype=np.uint64)
    _kernels.sweep_pairs(indptr, indices, w, tail, crit, srcs, dsts, everything,
                         np.zeros(indices.size, dtype=np.uint64), np.zeros(0, dtype=np.uint64), chunks, out, lab)  # fmt: skip


def test_many_to_many_totals_every_criterion() -> None:
    # 0 -> 1 -> 2 cheap in criterion 0; 0 -> 2 direct
    dense = np.array([[0, 1.0, 5.0], [0, 0, 1.0], [0, 0, 0]])
    indptr, cols, w = csgraph.to_csr_arrays(dense)
    tail = np.repeat(np.arange(3, dtype=np.int32), np.diff(indptr))
    other = np.array([10.0, 100.0, 1000.0])  # arcs: (0,1), (0,2), (1,2)
    crit = np.vstack([w, other])
    out = np.full((2, 3, 2), np.inf)
    srcs = np.array([0, 2], dtype=np.int64)
    _many_to_many(indptr, cols, w, tail, crit, srcs, np.array([0, 1, 2], dtype=np.int64), 2, out)
    assert out[0, 2].tolist() == [2.0, 1010.0]
    assert out[0, 0].tolist() == [0.0, 0.0]
    assert np.isinf(out[1, 0]).all()


def test_multi_source_search_records_origins() -> None:
    dense = np.array([[0, 1.0, 0, 0], [0, 0, 1.0, 0], [0, 0, 0, 0], [0, 0, 3.0, 0]])
    d, p, s = csgraph.dijkstra(dense, indices=[0, 3], min_only=True, return_predecessors=True)
    assert d.tolist() == [0.0, 1.0, 2.0, 0.0]
    assert s.tolist() == [0, 0, 0, 3]
    assert p.tolist() == [SCIPY_NO_PRED, 0, 1, SCIPY_NO_PRED]


@SETTINGS
@given(graphs(), st.data())
def test_sample_paths_match_scipy_per_sample(g: sp.csr_matrix, data: st.DataObject) -> None:
    """Each sample's best path, reweighted from components, costs what scipy finds."""
    indptr, cols, _ = csgraph.to_csr_arrays(g)
    n, m = g.shape[0], cols.size
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    comps = rng.integers(0, 5, size=(3, m)).astype(float)
    coef = rng.uniform(0.1, 2.0, size=(4, 3))
    closed = rng.random(m) < 0.2
    mask = np.where(closed, np.inf, 0.0)
    s, t = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    # a second layer joined by free arcs at every node: same optimum, exercises arc_of = -1
    two = data.draw(st.booleans())
    if two:
        lay_tail = np.concatenate([tail, tail + n, np.arange(n, dtype=np.int32)])
        lay_head = np.concatenate([cols, cols + n, np.arange(n, dtype=np.int32) + n])
        arc_of = np.concatenate([np.arange(m), np.arange(m), np.full(n, -1)]).astype(np.int64)
        order = np.argsort(lay_tail, kind="stable")
        lay_indptr = np.concatenate(
            [[0], np.cumsum(np.bincount(lay_tail, minlength=2 * n))]
        ).astype(np.int32)
        args = (
            lay_indptr,
            lay_head[order].astype(np.int32),
            lay_tail[order].astype(np.int32),
            arc_of[order],
        )
        target = t + n
    else:
        args = (indptr, cols, tail, np.arange(m, dtype=np.int64))
        target = t
    out = np.empty((coef.shape[0], 3))
    _kernels.sample_paths(*args, comps, coef, mask, s, target, 2, out)
    for k in range(coef.shape[0]):
        w = coef[k] @ comps + mask
        keep = np.isfinite(w)
        ref = scipy_dijkstra(
            sp.csr_matrix((w[keep] + 1e-300, (tail[keep], cols[keep])), shape=(n, n)), indices=s
        )[t]
        if np.isinf(ref):
            assert np.isinf(out[k]).all()
        else:
            assert coef[k] @ out[k] == pytest.approx(ref, rel=1e-9, abs=1e-9)


@SETTINGS
@given(graphs(), st.data())
def test_pareto_labels_against_brute_force(g: sp.csr_matrix, data: st.DataObject) -> None:
    """Two-criteria Pareto set of the kernel equals enumeration of simple paths."""
    import itertools

    import networkx as nx

    from corridor.tradeoffs import pareto_front

    indptr, cols, w = csgraph.to_csr_arrays(g)
    n, m = g.shape[0], cols.size
    if n > 8:
        return
    tail = np.repeat(np.arange(n), np.diff(indptr))
    second = np.asarray(data.draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)), dtype=float)
    costs = np.vstack([w, second])
    s, t = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    got = {tuple(c.tolist()) for c, _ in pareto_front(indptr, cols, costs, s, t)}
    dg = nx.DiGraph()
    dg.add_nodes_from(range(n))
    for e in range(m):
        dg.add_edge(int(tail[e]), int(cols[e]), c=(costs[0, e], costs[1, e]))
    vecs = {(0.0, 0.0)} if s == t else set()
    if s != t:
        for p in nx.all_simple_paths(dg, s, t):
            vecs.add(
                tuple(
                    float(sum(dg.edges[a, b]["c"][k] for a, b in itertools.pairwise(p)))
                    for k in range(2)
                )
            )
    front = {v for v in vecs if not any(o != v and o[0] <= v[0] and o[1] <= v[1] for o in vecs)}

    def rounded(vs: set[tuple[float, ...]]) -> list[tuple[float, ...]]:
        return sorted(tuple(round(x, 6) for x in v) for v in vs)

    assert rounded(got) == rounded(front)


def test_pareto_labels_reports_full_arrays() -> None:
    indptr = np.array([0, 2, 3, 3], dtype=np.int32)
    indices = np.array([1, 2, 2], dtype=np.int32)
    costs = np.array([[1.0, 5.0, 1.0], [4.0, 1.0, 4.0]])
    lower = np.zeros((2, 3))
    cap = 2
    args = (np.empty((cap, 2)), np.empty((cap, 2)), np.empty(cap, np.int32), np.empty(cap, np.int32),
            np.empty(cap, np.int32), np.zeros(cap, dtype=bool))  # fmt: skip
    assert _kernels.pareto_labels(indptr, indices, costs, lower, 0, 2, *args) == -1
    cap = 16
    args = (np.empty((cap, 2)), np.empty((cap, 2)), np.empty(cap, np.int32), np.empty(cap, np.int32),
            np.empty(cap, np.int32), np.zeros(cap, dtype=bool))  # fmt: skip
    used = _kernels.pareto_labels(indptr, indices, costs, lower, 0, 2, *args)
    assert used > 0
    assert int(args[5][:used].sum()) == 2


@SETTINGS
@given(graphs(), st.data())
def test_sweep_batch_is_sweep_pairs_per_weighting(g: sp.csr_matrix, data: st.DataObject) -> None:
    """Several weightings searched in one batch give what sweep_pairs gives for each."""
    indptr, cols, _ = csgraph.to_csr_arrays(g)
    n, m = g.shape[0], cols.size
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    n_s = data.draw(st.integers(1, 4))
    crit = rng.uniform(1.0, 2.0, (n_s, 3, m))
    crit[:, 2] = rng.uniform(0, 5, (n_s, m))
    if m:
        crit[0, 1, rng.integers(0, m)] = np.inf  # an arc absent in one weighting
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    arc_bits = rng.integers(0, 4, m).astype(np.uint64)
    gate_bits = rng.integers(0, 4, m).astype(np.uint64)
    step_masks = rng.integers(0, 4, 2).astype(np.uint64)
    srcs = np.arange(n, dtype=np.int64)
    dsts = srcs[::-1].copy()
    out = np.empty((n_s, n, n, 3))
    lab = np.empty((n_s, n, n), dtype=np.int32)
    by = 1
    _kernels.sweep_batch(
        indptr, cols, tail, crit, by, srcs, dsts, arc_bits, gate_bits, step_masks, 3, out, lab
    )
    for s in range(n_s):
        want = np.full((n, n, 3), np.inf)
        wlab = np.full((n, n), -1, dtype=np.int32)
        _kernels.sweep_pairs(
            indptr, cols, np.ascontiguousarray(crit[s, by]), tail, np.ascontiguousarray(crit[s]),
            srcs, dsts, arc_bits, gate_bits, step_masks, 2, want, wlab,
        )  # fmt: skip
        np.testing.assert_array_equal(out[s], want)
        np.testing.assert_array_equal(lab[s], wlab)


@SETTINGS
@given(graphs(), st.data())
def test_sweep_pairs_totals_and_labels(g: sp.csr_matrix, data: st.DataObject) -> None:
    """Totals equal scipy's distances; labels follow the corridor rules along scipy's path."""
    indptr, cols, w = csgraph.to_csr_arrays(g)
    n, m = g.shape[0], cols.size
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    w = rng.uniform(1.0, 2.0, m)  # distinct weights: one shortest path per pair
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    crit = np.vstack([w, rng.uniform(0, 5, m)])
    arc_bits = rng.integers(0, 8, m).astype(np.uint64)  # 3 corridors
    gate_bits = rng.integers(0, 16, m).astype(np.uint64)  # 4 gateway steps
    step_masks = rng.integers(0, 16, 3).astype(np.uint64)  # steps of each corridor
    srcs = np.arange(n, dtype=np.int64)
    out = np.full((n, n, 2), np.inf)
    lab = np.full((n, n), -1, dtype=np.int32)
    _kernels.sweep_pairs(
        indptr, cols, w, tail, crit, srcs, srcs, arc_bits, gate_bits, step_masks, 2, out, lab
    )
    csr = sp.csr_matrix((w, cols, indptr), shape=(n, n))
    dist, pred = scipy_dijkstra(csr, return_predecessors=True)
    np.testing.assert_allclose(out[..., 0], dist)
    for s in range(n):
        for t in range(n):
            if s == t or not np.isfinite(dist[s, t]):
                assert lab[s, t] == -1
                continue
            allowed, seen, v = ~np.uint64(0), np.uint64(0), t
            while v != s:
                u = pred[s, v]
                arcs = [e for e in range(indptr[u], indptr[u + 1]) if cols[e] == v]
                e = min(arcs, key=lambda a: w[a])
                allowed &= arc_bits[e]
                seen |= gate_bits[e]
                v = u
            expected = next(
                (
                    i
                    for i in range(3)
                    if int(allowed) >> i & 1
                    and int(seen) & int(step_masks[i]) == int(step_masks[i])
                ),
                -1,
            )
            assert lab[s, t] == expected


@SETTINGS
@given(graphs(), st.data())
def test_shortest_path_leaves_the_workspace_clean(g: sp.csr_matrix, data: st.DataObject) -> None:
    indptr, cols, w = csgraph.to_csr_arrays(g)
    n = g.shape[0]
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    ws = _kernels.new_workspace(n, False)
    full = scipy_dijkstra(g)
    for _ in range(3):
        s, t = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
        cost, arcs = _kernels.shortest_path(indptr, cols, w, tail, s, t, *ws)
        assert cost == pytest.approx(full[s, t])
        if np.isfinite(cost):
            assert w[arcs].sum() == pytest.approx(cost)
        else:
            assert arcs.size == 0
        assert np.isinf(ws[0]).all()
        assert (ws[3] == -1).all()


def _csr(n: int, arcs: list[tuple[int, int, float]]) -> tuple[np.ndarray, ...]:
    """``indptr, indices, hours, tail`` of arcs ``(tail, head, hours)``, kept in their order
    (arcs must be listed by tail)."""
    tail = np.array([a for a, _, _ in arcs], dtype=np.int32)
    assert (np.diff(tail) >= 0).all()
    indptr = np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=n))]).astype(np.int32)
    indices = np.array([b for _, b, _ in arcs], dtype=np.int32)
    return indptr, indices, np.array([h for _, _, h in arcs], dtype=float), tail


def _timetables(tables: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    """``td_ptr, td_dep`` of one offsets list per arc (empty: constant arc)."""
    ptr = np.concatenate([[0], np.cumsum([len(d) for d in tables])]).astype(np.int64)
    dep = np.array([x for d in tables for x in sorted(d)], dtype=float)
    return ptr, dep


def _earliest(csr, tables, period, source, t0, target, track=False):  # type: ignore[no-untyped-def]
    """Run earliest_arrival on a fresh workspace: ``(arrival, arcs, dist, origin)``, reset."""
    indptr, indices, hours, tail = csr
    ptr, dep = _timetables(tables)
    ws = _kernels.new_workspace(indptr.size - 1, track)
    arrival, nt = _kernels.earliest_arrival(
        indptr, indices, hours, tail, ptr, dep, period, source, t0, target, *ws
    )
    dist, pred, origin = ws[0].copy(), ws[1], ws[2].copy()
    arcs = _kernels.path_edges(pred, tail, target) if target >= 0 else None
    _kernels.reset(nt, ws[6], ws[0], ws[1], ws[2], ws[3])
    assert np.isinf(ws[0]).all()
    assert (ws[1] == NO_PRED).all()
    assert (ws[3] == -1).all()
    return arrival, arcs, dist, origin


def test_td_departure_waits_and_wraps() -> None:
    week = 168.0
    dep = np.array([10.0, 50.0])
    assert _kernels.td_departure(dep, week, 0.0) == 10.0
    assert _kernels.td_departure(dep, week, 10.0) == 10.0  # on time: no wait
    assert _kernels.td_departure(dep, week, 10.5) == 50.0
    assert _kernels.td_departure(dep, week, 50.001) == week + 10.0  # wraps to next week
    assert _kernels.td_departure(dep, week, 3 * week + 49.0) == 3 * week + 50.0
    assert _kernels.td_departure(np.empty(0), week, 7.25) == 7.25  # constant arc
    # t / period rounds to the wrong whole period: the answer is still the first >= t
    for period, t in [(0.1, 1.7), (3.3153618293505334, 394.52805769271345)]:
        d = _kernels.td_departure(np.array([0.0]), period, t)
        assert t <= d < t + period
        assert d == pytest.approx(round(t / period) * period, abs=1e-12)


def test_earliest_arrival_just_missed_waits_almost_a_period() -> None:
    csr = _csr(2, [(0, 1, 5.0)])
    arrival, arcs, _, _ = _earliest(csr, [[50.0]], 168.0, 0, 50.001, 1)
    assert arrival == 168.0 + 50.0 + 5.0  # waited 167.999 h
    assert arcs.tolist() == [0]
    arrival, *_ = _earliest(csr, [[50.0]], 168.0, 0, 2 * 168.0 + 50.0, 1)
    assert arrival == 2 * 168.0 + 55.0


def test_earliest_arrival_slow_early_departure_beats_fast_late_one() -> None:
    # 0 -> 1 -> 3: slow ship (30 h) leaving at 2; 0 -> 2 -> 3: fast train (5 h) leaving at 40
    arcs = [(0, 1, 30.0), (0, 2, 5.0), (1, 3, 1.0), (2, 3, 1.0)]
    tables = [[2.0], [40.0], [], []]
    csr = _csr(4, arcs)
    arrival, path, _, _ = _earliest(csr, tables, 168.0, 0, 0.0, 3)
    assert arrival == 33.0
    assert path.tolist() == [0, 2]
    # the caller recovers the wait on each arc of the route
    ptr, dep = _timetables(tables)
    t, legs = 0.0, []
    for e in path:
        d = _kernels.td_departure(dep[ptr[e] : ptr[e + 1]], 168.0, t)
        legs.append((d - t, d, d + csr[2][e]))
        t = d + csr[2][e]
    assert legs == [(2.0, 2.0, 32.0), (0.0, 32.0, 33.0)]
    # missing the ship by an hour: the train wins
    arrival, path, _, _ = _earliest(csr, tables, 168.0, 0, 3.0, 3)
    assert arrival == 46.0
    assert path.tolist() == [1, 3]


def test_earliest_arrival_settle_all_unusable_arcs_and_origins() -> None:
    arcs = [(0, 1, 2.0), (0, 2, np.inf), (1, 2, np.inf), (1, 3, 1.0)]
    csr = _csr(5, arcs)
    arrival, _, dist, origin = _earliest(csr, [[], [], [0.0], [6.0]], 24.0, 0, 100.0, -1, True)
    assert dist.tolist() == [100.0, 102.0, np.inf, 103.0, np.inf]  # 102 -> 102 + 22 + 1 - 24
    assert arrival == 103.0  # the latest arrival settled
    assert origin.tolist() == [0, 0, -1, 0, -1]
    arrival, path, _, _ = _earliest(csr, [[], [], [0.0], [6.0]], 24.0, 0, 100.0, 2)
    assert arrival == np.inf
    assert path.size == 0
    arrival, path, _, _ = _earliest(csr, [[], [], [0.0], [6.0]], 24.0, 4, 1.0, 4)
    assert (arrival, path.size) == (1.0, 0)


@SETTINGS
@given(graphs(), st.floats(0, 500, allow_nan=False))
def test_earliest_arrival_constant_arcs_is_dijkstra_shifted(g: sp.csr_matrix, t0: float) -> None:
    indptr, cols, w = csgraph.to_csr_arrays(g)
    n, m = g.shape[0], cols.size
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    ws = _kernels.new_workspace(n, False)
    nt = _kernels.dijkstra(indptr, cols, w, np.array([0], dtype=np.int64), -1, np.inf, *ws)
    expected = ws[0] + t0
    _kernels.reset(nt, ws[6], ws[0], ws[1], ws[2], ws[3])
    ptr = np.zeros(m + 1, dtype=np.int64)
    no_pred = np.empty(0, dtype=np.int32)  # a search that keeps no predecessors
    dist, _pred, origin, pos, hkey, hnode, touched = ws
    arrival, nt = _kernels.earliest_arrival(
        indptr, cols, w, tail, ptr, np.empty(0), 168.0, 0, t0, -1,
        dist, no_pred, origin, pos, hkey, hnode, touched,
    )  # fmt: skip
    np.testing.assert_allclose(dist, expected, rtol=1e-12, atol=1e-9)
    assert arrival == dist[np.isfinite(dist)].max()
    assert nt == np.isfinite(dist).sum()


def _next_departure(offsets: list[float], period: float, t: float) -> float:
    """Brute force: smallest j * period + offset >= t over a few periods around t."""
    if not offsets:
        return t
    j = int(t // period)
    return min(
        x for x in ((j + k) * period + o for k in range(-1, 3) for o in offsets) if x >= t - 1e-12
    )


@st.composite
def timetabled(
    draw: st.DrawFn,
) -> tuple[int, list[tuple[int, int, float]], list[list[float]], float]:
    """Small multigraphs (self-loops, parallel and unusable arcs) with random timetables."""
    n = draw(st.integers(1, 7))
    period = draw(st.sampled_from([24.0, 168.0, 7.5]))
    m = draw(st.integers(0, 3 * n))
    arcs = sorted(
        draw(
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    st.one_of(st.integers(0, 40).map(lambda x: x / 2), st.just(np.inf)),
                ),
                min_size=m,
                max_size=m,
            )
        ),
        key=lambda a: a[0],
    )
    offsets = st.integers(0, int(2 * period) - 1).map(lambda x: x / 2)
    tables = draw(
        st.lists(
            st.one_of(st.just([]), st.lists(offsets, min_size=1, max_size=3)),
            min_size=m,
            max_size=m,
        )
    )
    return n, arcs, [sorted(d) for d in tables], period


@SETTINGS
@given(timetabled(), st.data())
def test_earliest_arrival_against_brute_force(
    case: tuple[int, list[tuple[int, int, float]], list[list[float]], float],
    data: st.DataObject,
) -> None:
    """Earliest arrivals equal the best simulation over all simple paths."""
    n, arcs, tables, period = case
    s = data.draw(st.integers(0, n - 1))
    t0 = data.draw(st.integers(0, int(6 * period)).map(lambda x: x / 2))
    best = [np.inf] * n
    best[s] = t0

    def walk(v: int, t: float, seen: set[int]) -> None:
        for (a, b, h), offs in zip(arcs, tables, strict=True):
            if a != v or b in seen or h == np.inf:
                continue
            ta = _next_departure(offs, period, t) + h
            best[b] = min(best[b], ta)
            walk(b, ta, seen | {b})

    walk(s, t0, {s})
    csr = _csr(n, arcs)
    _, _, dist, _ = _earliest(csr, tables, period, s, t0, -1)
    np.testing.assert_allclose(dist, best, rtol=0, atol=1e-9)
    t = data.draw(st.integers(0, n - 1))
    arrival, path, _, _ = _earliest(csr, tables, period, s, t0, t)
    assert arrival == pytest.approx(best[t], rel=0, abs=1e-9)
    if s == t or np.isinf(arrival):
        assert path.size == 0
        return
    # the route replays to the same arrival with td_departure
    ptr, dep = _timetables(tables)
    at, v = t0, s
    for e in path:
        assert csr[3][e] == v
        at = _kernels.td_departure(dep[ptr[e] : ptr[e + 1]], period, at) + csr[2][e]
        v = int(csr[1][e])
    assert v == t
    assert at == pytest.approx(best[t], rel=0, abs=1e-9)


# ------------------------------------------------------------------ sampling route times


def _draw(hours, family, shape, shift, n, seed=0):  # type: ignore[no-untyped-def]
    return _kernels.sample_sums(
        np.asarray(hours, dtype=np.float64),
        np.asarray(family, dtype=np.int8),
        np.asarray(shape, dtype=np.float64),
        np.asarray(shift, dtype=np.float64),
        n,
        np.random.default_rng(seed),
    )


def test_sample_sums_sum_of_gammas_is_a_gamma() -> None:
    """Two independent Gamma(2, scale 2) (mean 4 each): their sum is Gamma(4, scale 2)."""
    from scipy import stats

    h = _draw([4.0, 4.0], [3, 3], [2.0, 2.0], [0.0, 0.0], 20_000, seed=3)
    assert stats.kstest(h, stats.gamma(4.0, scale=2.0).cdf).pvalue > 0.001
    assert abs(h.mean() - 8.0) < 0.1


def test_sample_sums_one_lognormal_matches_its_quantiles() -> None:
    from scipy import stats

    sigma, mean, shift = 0.6, 100.0, 0.25
    h = _draw([mean], [2], [sigma], [shift], 40_000, seed=1)
    y = (h / mean - shift) / (1 - shift)
    ref = stats.lognorm(sigma, scale=np.exp(-0.5 * sigma * sigma))
    assert stats.kstest(y, ref.cdf).pvalue > 0.001
    assert h.min() >= shift * mean


def test_sample_sums_uniform_wait_and_fixed_parts() -> None:
    h = _draw([10.0, 5.0], [1, 0], [0.0, 0.0], [0.0, 0.0], 20_000, seed=2)
    assert h.min() >= 5.0
    assert h.max() <= 25.0
    assert abs(np.mean(h <= 15.0) - 0.5) < 0.02
    assert abs(h.mean() - 15.0) < 0.15


def test_sample_sums_reproducible_and_brute_force() -> None:
    """A seed reproduces the draws, and the kernel equals the same formula in NumPy."""
    hours, fam, shape, shift = [3.0, 7.0, 2.0, 1.0], [1, 2, 3, 0], [0.0, 0.5, 3.0, 0.0], [
        0.0, 0.2, 0.1, 0.0,
    ]  # fmt: skip
    a = _draw(hours, fam, shape, shift, 500, seed=9)
    b = _draw(hours, fam, shape, shift, 500, seed=9)
    assert np.array_equal(a, b)
    rng = np.random.default_rng(9)
    ref = np.empty(500)
    for i in range(500):
        t = 1.0
        t += 3.0 * 2.0 * rng.random()
        t += 7.0 * (0.2 + 0.8 * np.exp(0.5 * rng.standard_normal() - 0.125))
        t += 2.0 * (0.1 + 0.9 * rng.gamma(3.0, 1 / 3.0))
        ref[i] = t
    assert np.allclose(a, ref)


def test_correlation_widens_the_tail() -> None:
    """One draw for three legs (a late ship is late at every port) against three draws."""
    together = _draw([30.0], [2], [0.8], [0.0], 40_000, seed=4)
    apart = _draw([10.0] * 3, [2] * 3, [0.8] * 3, [0.0] * 3, 40_000, seed=4)
    assert abs(together.mean() - apart.mean()) < 0.5
    assert np.percentile(together, 95) > np.percentile(apart, 95) + 3.0


def test_sample_sums_empty_route() -> None:
    assert np.array_equal(_draw([], [], [], [], 3), np.zeros(3))


# ------------------------------------------------------------ paths of origin-destination pairs


@SETTINGS
@given(graphs(), st.data())
def test_od_paths_match_scipy(g: sp.csr_matrix, data: st.DataObject) -> None:
    """Every pair's cost is scipy's distance, and its path runs from source to target over
    edges whose weights add up to it (-1 where unreachable, -2 where too long)."""
    n = g.shape[0]
    k = data.draw(st.integers(1, min(n, 4)))
    sources = np.array(sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=k, max_size=k))))
    per = [data.draw(st.lists(st.integers(0, n - 1), min_size=0, max_size=4)) for _ in sources]
    first = np.concatenate([[0], np.cumsum([len(x) for x in per])]).astype(np.int64)
    targets = np.array([t for x in per for t in x], dtype=np.int64)
    width = data.draw(st.sampled_from([1, 3, 64]))
    paths = np.full((targets.size, width), -1, dtype=np.int32)
    lengths = np.zeros(targets.size, dtype=np.int32)
    costs = np.zeros(targets.size)
    indptr, indices = g.indptr.astype(np.int32), g.indices.astype(np.int32)
    w = g.data.astype(np.float64)
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    _kernels.od_paths(indptr, indices, tail, w, sources.astype(np.int64), first, targets,
                      paths, lengths, costs)  # fmt: skip
    ref = scipy_dijkstra(g, indices=sources)
    for j, s in enumerate(sources):
        for p in range(first[j], first[j + 1]):
            t = targets[p]
            expected = ref[j, t]
            assert costs[p] == pytest.approx(expected) or (
                np.isinf(costs[p]) and np.isinf(expected)
            )
            if np.isinf(expected):
                assert lengths[p] == -1
                continue
            if lengths[p] == -2:
                continue
            arcs = paths[p, : lengths[p]]
            assert w[arcs].sum() == pytest.approx(expected)
            node = s
            for e in arcs:
                assert tail[e] == node
                node = indices[e]
            assert node == t


def _csr_arrays(g: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return g.indptr.astype(np.int32), g.indices.astype(np.int32), g.data.astype(np.float64)


@SETTINGS
@given(graphs(), st.data())
def test_bucket_search_matches_scipy_for_any_width(g: sp.csr_matrix, data: st.DataObject) -> None:
    """The bucket queue is exact for any bucket width (a label-correcting search): widths
    at, under and over the smallest positive weight, zero weights included; predecessors
    lie on shortest paths; many-to-all rows equal one-to-all."""
    indptr, idx, w = _csr_arrays(g)
    n = g.shape[0]
    positive = w[w > 0]
    lo = float(positive.min()) if positive.size else 1.0
    hi = float(w.max()) if w.size else 0.0
    # a width under, at or over the smallest weight; at least a 10,000th of the largest
    # (as csgraph keeps the bucket count bounded)
    delta = max(lo * data.draw(st.sampled_from([1.0, 0.5, 3.0, 50.0])), hi / 1e4, 1e-300)
    n_buckets = int(hi / delta) + 2
    limit = data.draw(st.sampled_from([np.inf, 15.0]))
    sources = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
    ref = scipy_dijkstra(g, indices=sources, limit=limit)
    dist = np.full((sources.size, n), np.inf)
    pred = np.full((sources.size, n), NO_PRED, dtype=np.int32)
    for j, s in enumerate(sources):
        _kernels.bucket_one_to_all(
            indptr, idx, w, int(s), limit, delta, n_buckets, True, dist[j], pred[j]
        )
    np.testing.assert_allclose(dist, ref, rtol=1e-12, atol=1e-12)
    tail = np.append(np.repeat(np.arange(n), np.diff(indptr)), SCIPY_NO_PRED)
    nodes = np.where(pred == NO_PRED, SCIPY_NO_PRED, tail[pred])
    _check_predecessors(g, dist, nodes, sources, True)
    many = np.full((sources.size, n), np.inf)
    many_pred = np.full((sources.size, n), NO_PRED, dtype=np.int32)
    _kernels.bucket_many_to_all(
        indptr, idx, w, sources.astype(np.int64), limit, delta, n_buckets, True, 2, many,
        many_pred,
    )  # fmt: skip
    np.testing.assert_array_equal(many, dist)
    np.testing.assert_array_equal(many_pred, pred)


@SETTINGS
@given(graphs())
def test_renumbering_keeps_every_distance(g: sp.csr_matrix) -> None:
    """``bfs_order`` is a permutation; the renumbered graph has the same distances, mapped
    through it, and its arcs map back to arcs of the same ends and weight."""
    indptr, idx, w = _csr_arrays(g)
    n = g.shape[0]
    order = _kernels.bfs_order(indptr, idx)
    np.testing.assert_array_equal(np.sort(order), np.arange(n))
    p, pidx, pw, edge_of = _kernels.permute_csr(indptr, idx, w, order)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    tail = np.repeat(np.arange(n), np.diff(indptr))
    ptail = np.repeat(np.arange(n), np.diff(p))
    np.testing.assert_array_equal(order[ptail], tail[edge_of])
    np.testing.assert_array_equal(order[pidx], idx[edge_of])
    np.testing.assert_array_equal(pw, w[edge_of])
    renumbered = sp.csr_matrix((pw, pidx, p), shape=(n, n))
    np.testing.assert_allclose(
        scipy_dijkstra(renumbered)[np.ix_(rank, rank)], scipy_dijkstra(g), rtol=1e-12
    )


@np.errstate(over="ignore")  # the hash wraps by design (without the JIT numpy would warn)
def test_fingerprint_tells_a_changed_graph() -> None:
    g = sp.random(50, 50, density=0.1, random_state=3, format="csr")
    indptr, idx, w = _csr_arrays(g)
    a = _kernels.fingerprint(indptr, idx, w)
    assert a[1:] == (w.min(), w.max())
    assert _kernels.fingerprint(indptr.copy(), idx.copy(), w.copy()) == a
    w2 = w.copy()
    w2[7] = np.nextafter(w2[7], np.inf)  # one ulp
    assert _kernels.fingerprint(indptr, idx, w2)[0] != a[0]
    idx2 = idx.copy()
    idx2[[0, 1]] = idx2[[1, 0]]
    assert _kernels.fingerprint(indptr, idx2, w)[0] != a[0]


def test_graphs_that_share_a_checksum_keep_their_own_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two graphs with the same checksum (forced here: every graph gets one) searched in
    turn: the renumbered copy of one is never used for the other."""

    def one_checksum(
        indptr: np.ndarray, idx: np.ndarray, w: np.ndarray
    ) -> tuple[np.uint64, float, float]:
        return np.uint64(7), float(w.min(initial=np.inf)), float(w.max(initial=-np.inf))

    monkeypatch.setattr(_kernels, "fingerprint", one_checksum)
    n = 12
    indptr = np.zeros(n + 1, dtype=np.int32)
    indptr[1:] = 2
    idx = np.array([3, 4], dtype=np.int32)
    a = sp.csr_matrix((np.array([0.0, 2.0]), idx, indptr), shape=(n, n))
    b = sp.csr_matrix((np.array([2.0, 0.0]), idx, indptr), shape=(n, n))
    for g in (a, a, b, b, a, b):  # a twice: its renumbered copy is kept; then b
        np.testing.assert_array_equal(csgraph.dijkstra(g, indices=0), scipy_dijkstra(g, indices=0))
    assert csgraph.dijkstra(a, indices=0)[[3, 4]].tolist() == [0.0, 2.0]
    assert csgraph.dijkstra(b, indices=0)[[3, 4]].tolist() == [2.0, 0.0]
    assert csgraph._renumbered is not None  # the cache was in play


def test_a_graph_on_strided_arrays_is_searched_again_and_again() -> None:
    """A CSR matrix whose data is a strided view (no copy made) searched three times: the
    third search uses the kept renumbered copy, compared with the strided input."""
    big = np.arange(1.0, 11.0)
    g = sp.csr_matrix(
        (big[::2], np.array([1, 2, 3, 4, 5]), np.array([0, 2, 3, 4, 5, 5, 5])),
        shape=(6, 6),
        copy=False,
    )
    want = scipy_dijkstra(g, indices=0)
    for _ in range(3):
        np.testing.assert_array_equal(csgraph.dijkstra(g, indices=0), want)


@np.errstate(over="ignore")
def test_fingerprint_tells_apart_graphs_that_differ_in_high_bits() -> None:
    """Every graph of two arcs from node 0 (to any two of 11 nodes, weights 0 to 4) has its
    own checksum: the weights differ in their exponent bits, which an unmixed
    multiply-and-xor checksum lets cancel between lanes (it gave 0/2 and 2/0 one)."""
    n = 12
    indptr = np.zeros(n + 1, dtype=np.int32)
    indptr[1:] = 2
    seen: dict[int, tuple[tuple[int, int], tuple[float, float]]] = {}
    for cols in itertools.combinations(range(1, n), 2):
        idx = np.array(cols, dtype=np.int32)
        for ws in itertools.product([0.0, 1.0, 2.0, 3.0, 4.0], repeat=2):
            key = int(_kernels.fingerprint(indptr, idx, np.array(ws))[0])
            assert key not in seen, (seen.get(key), (cols, ws))
            seen[key] = (cols, ws)
    assert len(seen) == 55 * 25


@SETTINGS
@given(graphs(), st.data())
def test_a_graph_searched_again_is_renumbered_with_the_same_answers(
    g: sp.csr_matrix, data: st.DataObject
) -> None:
    """The second call on a graph searches its breadth-first renumbered copy: distances
    equal the first call's and scipy's, predecessors lie on shortest paths."""
    n = g.shape[0]
    sources = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
    first = csgraph.dijkstra(g, indices=sources, return_predecessors=True)
    second = csgraph.dijkstra(g, indices=sources, return_predecessors=True)
    assert csgraph._renumbered is not None
    with np.errstate(over="ignore"):
        key = int(_kernels.fingerprint(*csgraph.to_csr_arrays(g))[0])
    assert csgraph._renumbered[0] == key
    np.testing.assert_allclose(second[0], first[0], rtol=1e-12)
    np.testing.assert_allclose(second[0], scipy_dijkstra(g, indices=sources), rtol=1e-12)
    _check_predecessors(g, second[0], second[1], sources, True)
    one = csgraph.dijkstra(g, indices=int(sources[0]))
    np.testing.assert_allclose(one, first[0][0], rtol=1e-12)
