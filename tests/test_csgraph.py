"""corridor.csgraph against scipy.sparse.csgraph: dijkstra (N-d indices, formats, dtypes),
shortest_path, yen (against scipy and networkx), and bad input."""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from _graphs import graphs as shared_graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csgraph as scipy_csgraph

from corridor import DataError, csgraph
from corridor._config import SCIPY_NO_PRED

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# scipy's test graph (test_shortest_path.py)
G = np.array(
    [[0, 3, 3, 0, 0], [0, 0, 0, 2, 4], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [2, 0, 0, 2, 0]],
    dtype=float,
)


def graphs(max_n: int = 12) -> st.SearchStrategy[sp.csr_matrix]:
    """Small random graphs (the shared strategy, sized for the csgraph tests)."""
    return shared_graphs(max_n=max_n, arcs_per_node=3, max_int=5, max_float=10.0)


def _weights(g: sp.csr_matrix, directed: bool, unweighted: bool) -> dict[tuple[int, int], float]:
    """The edges as scipy reads them: min over parallel entries (and both ways)."""
    out: dict[tuple[int, int], float] = {}
    coo = g.tocoo()
    for i, j, x in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        w = 1.0 if unweighted else x
        for key in [(i, j)] if directed else [(i, j), (j, i)]:
            out[key] = min(out.get(key, np.inf), w)
    return out


def _check_predecessors(
    w: dict[tuple[int, int], float], dist: np.ndarray, pred: np.ndarray, src: np.ndarray
) -> None:
    """Each predecessor lies on a shortest path (ties may pick another one than scipy)."""
    for row, s in enumerate(src):
        for v in range(dist.shape[1]):
            p = pred[row, v]
            if v == s or not np.isfinite(dist[row, v]):
                assert p == SCIPY_NO_PRED
            else:
                assert dist[row, p] + w[(int(p), v)] == pytest.approx(dist[row, v], abs=1e-12)


# ------------------------------------------------------------------ dijkstra


@SETTINGS
@given(graphs(), st.data())
def test_nd_indices_give_indices_shape_plus_n(g: sp.csr_matrix, data: st.DataObject) -> None:
    n = g.shape[0]
    shape = data.draw(st.lists(st.integers(0, 3), min_size=0, max_size=3).map(tuple))
    size = int(np.prod(shape))
    flat = data.draw(st.lists(st.integers(-n, n - 1), min_size=size, max_size=size))
    dtype = data.draw(st.sampled_from([np.int32, np.int64, np.intp, np.float64]))
    idx = np.array(flat, dtype=dtype).reshape(shape)
    directed = data.draw(st.booleans())
    want_d, want_p = scipy_csgraph.dijkstra(
        g, directed=directed, indices=idx, return_predecessors=True
    )
    got_d, got_p = csgraph.dijkstra(g, directed=directed, indices=idx, return_predecessors=True)
    assert got_d.shape == want_d.shape == (*shape, n)
    assert got_p.shape == want_p.shape
    assert got_p.dtype == want_p.dtype == np.int32
    np.testing.assert_allclose(got_d, want_d, rtol=1e-12)
    assert csgraph.dijkstra(g, directed=directed, indices=idx).shape == (*shape, n)
    src = np.where(idx.ravel() < 0, idx.ravel() + n, idx.ravel()).astype(int)
    _check_predecessors(
        _weights(g, directed, False), got_d.reshape(-1, n), got_p.reshape(-1, n), src
    )
    # min_only: shape (N,) whatever the shape of indices
    d, p, s = csgraph.dijkstra(g, indices=idx, min_only=True, return_predecessors=True)
    d0, _p0, s0 = scipy_csgraph.dijkstra(g, indices=idx, min_only=True, return_predecessors=True)
    assert d.shape == p.shape == s.shape == d0.shape == s0.shape == (n,)
    np.testing.assert_allclose(d, d0, rtol=1e-12)


def test_scalar_and_nd_indices_by_hand() -> None:
    assert csgraph.dijkstra(G, indices=np.int64(3)).shape == (5,)
    d, p = csgraph.dijkstra(G, indices=np.arange(4).reshape(2, 2), return_predecessors=True)
    assert d.shape == p.shape == (2, 2, 5)
    np.testing.assert_array_equal(d, scipy_csgraph.dijkstra(G, indices=[[0, 1], [2, 3]]))
    assert csgraph.dijkstra(G, indices=np.zeros((0, 3), dtype=int)).shape == (0, 3, 5)
    assert csgraph.dijkstra(G, indices=[]).shape == (0, 5)
    assert csgraph.dijkstra(G, indices=np.array([1], dtype=np.uint64))[0, 3] == 2.0


FORMATS = ["csr_matrix", "csr_array", "csc_matrix", "csc_array", "coo_array", "lil_array"]
FORMATS += ["dok_array", "bsr_array", "dia_array"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("directed", [True, False])
def test_sparse_formats_and_index_dtypes(fmt: str, index_dtype: type, directed: bool) -> None:
    g = getattr(sp, fmt)(G)
    if hasattr(g, "indices"):  # compressed formats: force the index dtype
        g.indices = g.indices.astype(index_dtype)
        g.indptr = g.indptr.astype(index_dtype)
    for kw in ({}, {"indices": [4, 0]}, {"unweighted": True}, {"limit": 3.0}):
        np.testing.assert_array_equal(
            csgraph.dijkstra(g, directed=directed, **kw),
            scipy_csgraph.dijkstra(g, directed=directed, **kw),
        )
    d, p = csgraph.shortest_path(g, method="D", directed=directed, return_predecessors=True)
    d0, p0 = scipy_csgraph.shortest_path(g, method="D", directed=directed, return_predecessors=True)
    np.testing.assert_array_equal(d, d0)
    np.testing.assert_array_equal(p, p0)  # no ties on this graph


def test_masked_input_reads_unmasked_entries_as_edges() -> None:
    m = np.ma.masked_equal(G, 0)
    np.testing.assert_array_equal(csgraph.dijkstra(m), scipy_csgraph.dijkstra(m))
    # an unmasked zero is an edge of length 0, a masked 5 none
    m2 = np.ma.masked_array(
        [[0.0, 0.0, 5.0], [0, 0, 0], [0, 0, 0]], mask=[[1, 0, 1], [1] * 3, [1] * 3]
    )
    for kw in ({}, {"unweighted": True}, {"directed": False}):
        np.testing.assert_array_equal(
            csgraph.dijkstra(m2, indices=0, **kw), scipy_csgraph.dijkstra(m2, indices=0, **kw)
        )
    assert csgraph.dijkstra(m2, indices=0).tolist() == [0.0, 0.0, np.inf]


def test_stored_inf_is_an_edge_only_when_unweighted_as_in_scipy() -> None:
    g = sp.csr_matrix((np.array([np.inf, 1.0]), np.array([1, 2]), np.array([0, 1, 2, 2])), (3, 3))
    for kw in ({}, {"unweighted": True}, {"unweighted": True, "directed": False}):
        np.testing.assert_array_equal(
            csgraph.dijkstra(g, indices=0, **kw), scipy_csgraph.dijkstra(g, indices=0, **kw)
        )
    assert csgraph.dijkstra(g, indices=0, unweighted=True).tolist() == [0.0, 1.0, 2.0]
    # dense input: inf is never an edge
    assert csgraph.dijkstra(g.toarray(), indices=0, unweighted=True)[1] == np.inf


def test_read_only_input_is_copied_not_recompiled() -> None:
    g = sp.csr_array(G)
    for a in (g.data, g.indices, g.indptr):
        a.flags.writeable = False
    arrays = csgraph.to_csr_arrays(g)
    assert all(a.flags.writeable for a in arrays)
    np.testing.assert_array_equal(csgraph.dijkstra(g), scipy_csgraph.dijkstra(G))


def test_limit_accepts_what_scipy_accepts() -> None:
    for limit in (2, 2.0, np.float32(2), np.int64(2), np.array(2.0)):
        np.testing.assert_array_equal(
            csgraph.dijkstra(G, indices=0, limit=limit),
            scipy_csgraph.dijkstra(G, indices=0, limit=limit),
        )


# ------------------------------------------------------------------ shortest_path


@SETTINGS
@given(graphs(), st.data())
def test_shortest_path_matches_scipy(g: sp.csr_matrix, data: st.DataObject) -> None:
    n = g.shape[0]
    method = data.draw(st.sampled_from(["auto", "D"]))
    kw: dict[str, Any] = {
        "directed": data.draw(st.booleans()),
        "unweighted": data.draw(st.booleans()),
        "indices": data.draw(st.none() | st.lists(st.integers(0, n - 1), max_size=4)),
    }
    got_d, got_p = csgraph.shortest_path(g, method, return_predecessors=True, **kw)
    want_d = scipy_csgraph.shortest_path(g, "D", **kw)
    np.testing.assert_allclose(got_d, want_d, rtol=1e-12)
    src = np.arange(n) if kw["indices"] is None else np.array(kw["indices"], dtype=int)
    _check_predecessors(_weights(g, kw["directed"], kw["unweighted"]), got_d, got_p, src)


@pytest.mark.parametrize("method", ["FW", "BF", "J"])
def test_negative_weight_methods_are_scipys(method: str) -> None:
    neg = np.array([[0, 0, 0], [-1, 0, 0], [0, -1, 0]], dtype=float)
    for graph in (G, neg, sp.csc_array(neg)):
        for directed in (True, False) if graph is G else (True,):
            d, p = csgraph.shortest_path(graph, method, directed, return_predecessors=True)
            d0, p0 = scipy_csgraph.shortest_path(graph, method, directed, return_predecessors=True)
            np.testing.assert_array_equal(d, d0)
            np.testing.assert_array_equal(p, p0)
    cycle = np.ones((5, 5))
    cycle.flat[::6] = 0
    cycle[1, 2] = -2
    for directed in (True, False):
        with pytest.raises(scipy_csgraph.NegativeCycleError):
            csgraph.shortest_path(cycle, method, directed)
    if method == "FW":
        with pytest.raises(ValueError, match="Cannot specify indices with method == 'FW'"):
            csgraph.shortest_path(G, "FW", indices=[0])
    else:
        assert csgraph.shortest_path(G, method, indices=[[0], [1]]).shape == (2, 1, 5)


def test_auto_refuses_negative_weights_and_points_to_bf_and_j() -> None:
    """scipy's 'auto' switches to Johnson's; corridor's runs Dijkstra, so it refuses."""
    neg = np.array([[0, 3, 0], [0, 0, -1], [0, 0, 0]], dtype=float)
    with pytest.raises(DataError, match=r"method='auto'\); for negative weights use method="):
        csgraph.shortest_path(neg)
    np.testing.assert_array_equal(
        csgraph.shortest_path(neg, method="J"), scipy_csgraph.shortest_path(neg)
    )


# ------------------------------------------------------------------ yen


def _paths(pred: np.ndarray, source: int, sink: int) -> list[tuple[int, ...]]:
    out = []
    for row in pred:
        nodes = [sink]
        while nodes[-1] != source:
            nodes.append(int(row[nodes[-1]]))
            assert nodes[-1] != SCIPY_NO_PRED
            assert len(nodes) <= pred.shape[1]
        out.append(tuple(reversed(nodes)))
    return out


def _networkx_paths(
    w: dict[tuple[int, int], float], n: int, directed: bool, s: int, t: int, k: int
) -> list[tuple[float, tuple[int, ...]]]:
    """The first ``k`` loopless paths by networkx (brute-force reference)."""
    g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((i, j, x) for (i, j), x in w.items() if i != j)
    try:
        paths = list(itertools.islice(nx.shortest_simple_paths(g, s, t, weight="weight"), k))
    except nx.NetworkXNoPath:
        return []
    return [(nx.path_weight(g, p, "weight"), tuple(p)) for p in paths]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(max_n=8), st.data())
def test_yen_matches_scipy_and_networkx(g: sp.csr_matrix, data: st.DataObject) -> None:
    n = g.shape[0]
    s, t = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    k = data.draw(st.integers(1, 8))
    directed, unweighted = data.draw(st.booleans()), data.draw(st.booleans())
    dist, pred = csgraph.yen(
        g, s, t, k, directed=directed, unweighted=unweighted, return_predecessors=True
    )
    assert dist.dtype == np.float64
    assert pred.dtype == np.int32
    assert pred.shape == (dist.size, n)
    assert dist.size <= k
    w = _weights(g, directed, unweighted)
    ref = _networkx_paths(w, n, directed, s, t, k + 1)
    np.testing.assert_allclose(dist, [c for c, _ in ref[:k]], rtol=1e-12, atol=1e-12)
    paths = _paths(pred, s, t)
    assert len(set(paths)) == len(paths)  # distinct ...
    for length, path in zip(dist, paths, strict=True):
        assert len(set(path)) == len(path)  # ... loopless ...
        cost = sum(w[e] for e in itertools.pairwise(path))
        assert cost == pytest.approx(length, abs=1e-12)  # ... and as long as said
    if g.nnz:  # scipy 1.17 raises "Invalid shape in axis 0: 0" on a graph with no edges
        want_d, want_p = scipy_csgraph.yen(
            g, s, t, k, directed=directed, unweighted=unweighted, return_predecessors=True
        )
        np.testing.assert_allclose(dist, want_d, rtol=1e-12, atol=1e-12)
        costs = [c for c, _ in ref]
        if all(b - a > 1e-9 for a, b in itertools.pairwise(costs)):  # no ties: unique paths
            np.testing.assert_array_equal(pred, want_p)


def test_yen_by_hand() -> None:
    d, p = csgraph.yen(G, 0, 3, 2, return_predecessors=True)
    assert d.tolist() == [5.0, 9.0]
    assert p.tolist() == [[-9999, 0, -9999, 1, -9999], [-9999, 0, -9999, 4, 1]]
    # fewer than K paths: only those found; none: empty, with (0, N) predecessors
    assert csgraph.yen(G, 0, 3, 4, unweighted=True).tolist() == [2.0, 3.0]
    d, p = csgraph.yen(G, 2, 3, 3, return_predecessors=True)
    assert d.shape == (0,)
    assert p.shape == (0, 5)
    assert p.dtype == np.int32
    # K = 0, and source == sink (the empty path, once)
    assert csgraph.yen(G, 0, 3, 0).shape == (0,)
    d, p = csgraph.yen(G, 1, 1, 3, return_predecessors=True)
    assert d.tolist() == [0.0]
    assert (p == SCIPY_NO_PRED).all()
    # no edges at all (scipy 1.17 raises there)
    assert csgraph.yen(sp.csr_array((3, 3)), 0, 2, 2).shape == (0,)
    # numpy integers and integral floats are node numbers, as in scipy
    np.testing.assert_array_equal(
        csgraph.yen(G, np.int64(0), 3.0, np.int32(2)), scipy_csgraph.yen(G, 0, 3, 2)
    )


def test_yen_ties_lengths_as_scipy_order_documented() -> None:
    """Two paths of length 2 (via 1, via 2) and one of 3: the lengths are scipy's; of the
    tied paths corridor lists first the one its Dijkstra finds (via 1); scipy 1.17 the other."""
    g = np.array([[0, 1, 1, 3], [0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 0]], dtype=float)
    d, p = csgraph.yen(g, 0, 3, 3, return_predecessors=True)
    d0, p0 = scipy_csgraph.yen(g, 0, 3, 3, return_predecessors=True)
    assert d.tolist() == d0.tolist() == [2.0, 2.0, 3.0]
    assert _paths(p, 0, 3) == [(0, 1, 3), (0, 2, 3), (0, 3)]
    assert sorted(_paths(p0, 0, 3)[:2]) == [(0, 1, 3), (0, 2, 3)]  # scipy 1.17: via 2 first


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: csgraph.yen(G, 0, 3, -1), r"K must be >= 0, got -1"),
        (lambda: csgraph.yen(G, 0, 3, 2.0), r"K must be a whole number, got 2\.0"),
        (lambda: csgraph.yen(G, 0, 3, "2"), r"K must be a whole number, got '2'"),
        (lambda: csgraph.yen(G, 0, 3, True), r"K must be a whole number, got True"),
        (lambda: csgraph.yen(G, 0, -1, 2), r"must have 0 <= source < N .* source=0, sink=-1"),
        (lambda: csgraph.yen(G, 10000, 1, 2), r"Got N=5, source=10000, sink=1\."),
        (lambda: csgraph.yen(G, 1.5, 3, 2), r"source must be a node number .*got 1\.5"),
        (lambda: csgraph.yen(G, 0, [3], 2), r"sink must be a node number .*got \[3\]"),
        (lambda: csgraph.yen(-G, 0, 3, 2), r"negative .*; yen needs weights >= 0"),
        (lambda: csgraph.yen(np.ones((2, 3)), 0, 1, 1), r"square array, got shape \(2, 3\)"),
        (lambda: csgraph.shortest_path(G, "d"), r"unrecognized method 'd': use 'auto' or 'D'"),
        (lambda: csgraph.shortest_path(G, None), r"unrecognized method None"),
        (
            lambda: csgraph.shortest_path(np.array([[0, np.nan], [1, 0]])),
            r"1 NaN weight, first at \(0, 1\)",
        ),
        (lambda: csgraph.dijkstra(G, indices=[0.5]), r"indices must be node numbers"),
        (lambda: csgraph.dijkstra(G, indices=[True]), r"indices must be node numbers"),
        (lambda: csgraph.dijkstra(G, indices=[[0], [1, 2]]), r"indices must be node numbers"),
        (lambda: csgraph.dijkstra(G, indices=[[0], [5]]), r"out of range 0\.\.\.4 .*got 5"),
        (lambda: csgraph.dijkstra(G, indices=[-6]), r"out of range 0\.\.\.4 .*got -6"),
        (lambda: csgraph.dijkstra(G, limit=np.nan), r"limit must be >= 0, got nan"),
        (lambda: csgraph.dijkstra(G, limit=[1.0]), r"limit must be a number"),
        (lambda: csgraph.dijkstra(G, limit=True), r"limit must be a number"),
        (lambda: csgraph.dijkstra(sp.coo_array(np.ones(3))), r"square array, got shape \(3,\)"),
        (lambda: csgraph.dijkstra(np.ma.masked_array(np.ones(3))), r"square array"),
    ],
)
def test_bad_input_is_a_data_error_naming_it(call: Any, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        call()
