"""A scipy-compatible low-level shortest-path API over the Numba kernels.

:func:`dijkstra`, :func:`shortest_path` and :func:`yen` take the arguments of their namesakes
in :mod:`scipy.sparse.csgraph` and return the same outputs (shapes, dtypes, ``inf`` for
unreachable, ``-9999`` for no predecessor), so a script switches all three with one import::

    from corridor.csgraph import dijkstra, shortest_path, yen

The graph is read as scipy reads it: dense input, zero and ``inf`` entries are not edges;
sparse input (any format, ``*_matrix`` or ``*_array``, int32 or int64 indices), every stored
entry is an edge (explicit zeros included; a stored ``inf`` is an edge that leads nowhere,
and a plain edge when ``unweighted``); masked input, every unmasked entry is an edge.

How it searches: a bucket queue where a graph's positive weights span at most
:data:`BUCKET_MAX_RATIO` (else a 4-ary heap); a graph searched a second time is renumbered
in breadth-first order once and kept (see :func:`_prepare`), with results mapped back.

Deliberate differences from scipy:

* negative and NaN weights raise :class:`~corridor.DataError` before any search runs
  (scipy's Dijkstra warns and may return wrong distances, reads a dense NaN as no edge, and
  its ``yen`` reweights negative graphs by Johnson's algorithm);
* ``indices``, ``source`` and ``sink`` must be whole numbers (integral floats are accepted);
  scipy truncates ``1.5`` to ``1`` and casts booleans;
* ``limit`` must be a number ``>= 0`` (scipy reads a NaN limit as "reach nothing");
* bad arguments raise :class:`~corridor.DataError`, a ``ValueError`` (scipy raises
  ``TypeError`` for some, e.g. a float ``K``);
* ``shortest_path`` runs corridor's Dijkstra for ``method="auto"`` whatever the graph (scipy
  picks Floyd–Warshall for dense graphs and Johnson's for negative weights); ``"FW"``,
  ``"BF"`` and ``"J"`` are passed on to scipy unchanged.

Where several shortest paths tie, predecessors may name a different (equally short) path
than scipy's, as scipy itself says of its own methods.
"""

from __future__ import annotations

import math
import numbers
import operator
import sys
import threading
from typing import Any, NamedTuple

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor import _kernels
from corridor._checks import check_int, shown
from corridor._config import FLOAT, INDEX, NO_PRED, SCIPY_NO_PRED
from corridor._errors import DataError

__all__ = ["dijkstra", "shortest_path", "to_csr_arrays", "yen"]

#: what Dijkstra (and so every search here) asks of weights, said in weight errors
_NEEDS = "Dijkstra needs weights >= 0"
#: methods of :func:`shortest_path` run by corridor, and those passed on to scipy
CORRIDOR_METHODS = ("auto", "D")
SCIPY_METHODS = ("FW", "BF", "J")


def _collapse_min(
    rows: NDArray[np.int64], cols: NDArray[np.int64], w: NDArray[np.float64], n: int
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """CSR arrays keeping, for each (row, col), the smallest weight."""
    order = np.lexsort((w, cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    if rows.size:
        keep = np.empty(rows.size, dtype=bool)
        keep[0] = True
        keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        rows, cols, w = rows[keep], cols[keep], w[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    return np.cumsum(indptr).astype(INDEX), cols.astype(INDEX), w.astype(FLOAT)


def _check_weights(w: NDArray[np.float64], rows: Any, cols: Any, needs: str) -> None:
    if _kernels.weight_stats(w)[0] == 0:
        return
    bad = np.flatnonzero(np.isnan(w) | (w < 0))
    if bad.size:
        i = int(bad[0])
        what = "NaN" if np.isnan(w[i]) else "negative"
        raise DataError(
            f"graph has {bad.size} {what if bad.size == 1 else 'negative or NaN'} weight"
            f"{'s' if bad.size > 1 else ''}, first at ({rows(i)}, {cols(i)}) = {float(w[i])!r}; "
            f"{needs}"
        )


def _writable(a: NDArray[Any]) -> NDArray[Any]:
    """``a``, copied if read-only (Numba would compile the kernels again for read-only
    arrays, a second or two each)."""
    return a if a.flags.writeable else a.copy()


def _canonical_csr(
    g: Any, unweighted: bool, needs: str
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]] | None:
    """Use a canonical CSR matrix's arrays as they are (no copy when already int32/float64)."""
    w = np.asarray(g.data, dtype=FLOAT)
    indptr = np.asarray(g.indptr, dtype=INDEX)
    bad, posinf, _, _ = _kernels.weight_stats(w)
    if bad:
        _check_weights(
            w,
            lambda i: int(np.searchsorted(indptr, i, side="right") - 1),
            lambda i: int(g.indices[i]),
            needs,
        )
    if unweighted:  # every stored entry is an edge of length 1, inf included (as in scipy)
        w = np.ones_like(w)
    elif posinf:
        return None  # inf entries are non-edges: take the general path
    return _writable(indptr), _writable(np.asarray(g.indices, dtype=INDEX)), _writable(w)


def _csr(
    csgraph: Any, directed: bool, unweighted: bool, needs: str
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """:func:`to_csr_arrays`, with ``needs`` ending the message of a weight error."""
    import scipy.sparse as sp  # only here: importing corridor does not pay for it

    if sp.issparse(csgraph) and csgraph.ndim != 2:
        raise DataError(f"graph should be a square array, got shape {csgraph.shape}")
    if (
        sp.issparse(csgraph)
        and csgraph.format == "csr"
        and directed
        and csgraph.shape[0] == csgraph.shape[1]
        and csgraph.has_canonical_format
    ):
        fast = _canonical_csr(csgraph, unweighted, needs)
        if fast is not None:
            return fast
    stored = True  # are the entries given edges (sparse, masked) or is zero "no edge"?
    if sp.issparse(csgraph):
        coo = sp.coo_matrix(csgraph)
        shape = coo.shape
        rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
        w = np.asarray(coo.data, dtype=FLOAT)
    elif np.ma.isMaskedArray(csgraph):
        data = np.asarray(np.ma.getdata(csgraph), dtype=FLOAT)
        if data.ndim != 2:
            raise DataError(f"graph should be a square array, got shape {data.shape}")
        shape = data.shape
        edge = ~np.ma.getmaskarray(csgraph)
        rows, cols = (a.astype(np.int64) for a in np.nonzero(edge))
        w = data[edge]
    else:
        dense = np.asarray(csgraph, dtype=FLOAT)
        if dense.ndim != 2:
            raise DataError(f"graph should be a square array, got shape {dense.shape}")
        shape = dense.shape
        nz = (dense != 0) & ~np.isposinf(dense)
        rows, cols = (a.astype(np.int64) for a in np.nonzero(nz))
        w = dense[nz]
        stored = False
    if len(shape) != 2 or shape[0] != shape[1]:
        raise DataError(f"graph should be a square array, got shape {shape}")
    _check_weights(w, lambda i: int(rows[i]), lambda i: int(cols[i]), needs)
    if not (unweighted and stored):
        finite = np.isfinite(w)
        rows, cols, w = rows[finite], cols[finite], w[finite]
    if unweighted:
        w = np.ones_like(w)
    if not directed:
        rows, cols, w = (
            np.concatenate([rows, cols]),
            np.concatenate([cols, rows]),
            np.concatenate([w, w]),
        )
    return _collapse_min(rows, cols, w, int(shape[0]))


def to_csr_arrays(
    csgraph: Any, *, directed: bool = True, unweighted: bool = False
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """Validate a graph as scipy's csgraph routines read it; return ``(indptr, indices, weights)``.

    Dense input: zero and ``inf`` entries are not edges. Sparse input: stored entries are
    edges (explicit zeros included), except ``inf`` (unless ``unweighted``). Masked input:
    unmasked entries are edges, as sparse ones. Parallel entries keep the smallest weight;
    an undirected graph keeps ``min(G[i, j], G[j, i])`` both ways.

    Raises
    ------
    DataError
        If the graph is not square, or has negative or NaN weights (naming the first entry).

    Examples
    --------
    >>> import numpy as np
    >>> indptr, indices, weights = to_csr_arrays(np.array([[0, 2.0], [0, 0]]), directed=False)
    >>> indptr.tolist(), indices.tolist(), weights.tolist()
    ([0, 1, 2], [1, 0], [2.0, 2.0])
    """
    return _csr(csgraph, directed, unweighted, _NEEDS)


def n_chunks(n_sources: int) -> int:
    """How many chunks to split ``n_sources`` into for the parallel kernels."""
    return max(1, min(n_sources, 4 * numba.get_num_threads()))


def _tail(indptr: NDArray[np.int32]) -> NDArray[np.int32]:
    """The node each CSR entry leaves."""
    n = indptr.shape[0] - 1
    return np.repeat(np.arange(n, dtype=INDEX), np.diff(indptr))


def _pred_nodes(pred: NDArray[np.int32], tail: NDArray[np.int32]) -> NDArray[np.int32]:
    """Edge predecessors to scipy's node predecessors (``-9999`` for none)."""
    out = np.full(pred.shape, SCIPY_NO_PRED, dtype=np.int32)
    has = pred != NO_PRED
    out[has] = tail[pred[has]]
    return out


def _node_numbers(name: str, value: Any, n: int) -> tuple[NDArray[np.int64], tuple[int, ...]]:
    """Node numbers of any shape as a flat int64 array (negative ones counted from the end,
    as scipy does), and the shape they came in."""
    try:
        raw = np.asarray(value)
    except (ValueError, TypeError):  # ragged lists
        raise DataError(f"{name} must be node numbers (integers), got {shown(value)}") from None
    kind = raw.dtype.kind
    if kind not in "iuf" or (kind == "f" and not np.array_equal(raw, np.round(raw))):
        raise DataError(f"{name} must be node numbers (integers), got {raw.dtype} values")
    if raw.size and (raw.min() < -n or raw.max() >= n):
        bad = raw[(raw < -n) | (raw >= n)].ravel()[0]
        raise DataError(f"{name} out of range 0...{n - 1} (N = {n} nodes), got {bad.item()!r}")
    src = raw.astype(np.int64).ravel()
    return np.where(src < 0, src + n, src), raw.shape


def _limit(limit: Any) -> float:
    if (
        isinstance(limit, bool | np.bool_)
        or np.ndim(limit) != 0
        or np.asarray(limit).dtype.kind not in "iuf"
    ):
        raise DataError(f"limit must be a number, got {shown(limit)}")
    out = float(limit)
    if np.isnan(out) or out < 0:
        raise DataError(f"limit must be >= 0, got {out!r}")
    return out


#: largest-to-smallest weight ratio up to which a bucket queue replaces the heap (its
#: buckets, one per smallest weight, cycle over the largest)
BUCKET_MAX_RATIO = 10_000.0


class _Graph(NamedTuple):
    """A graph ready to search: CSR arrays (renumbered if ``rank`` is given: ``rank[old] =
    new``, ``order[new] = old``), and the bucket width and count (0: use the heap)."""

    indptr: NDArray[np.int32]
    indices: NDArray[np.int32]
    weights: NDArray[np.float64]
    delta: float
    n_buckets: int
    order: NDArray[np.int32] | None
    rank: NDArray[np.int64] | None


_reuse_lock = threading.Lock()
#: the checksum of the last graph searched; and, for one searched twice, its checksum, its
#: arrays as they were (a checksum match is only a hint: the arrays must be equal too) and
#: the renumbered copy
_last_seen: int | None = None
_renumbered: tuple[int, tuple[NDArray[Any], ...], _Graph] | None = None


def _same(arrays: tuple[NDArray[Any], ...], kept: tuple[NDArray[Any], ...]) -> bool:
    """Whether a graph's CSR arrays equal those kept, entry for entry (NaN weights are
    refused before, and -0.0 and 0.0 give the same distances): the checksum tells graphs
    apart fast, and this rules out a collision."""
    return all(
        a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        for a, b in zip(arrays, kept, strict=True)
    )


def _buckets(lo: float, hi: float) -> tuple[float, int]:
    """Bucket width and count for weights from ``lo`` to ``hi``, or ``(0, 0)`` for the
    heap: with no weight, a zero weight, or a ratio of largest to smallest over
    :data:`BUCKET_MAX_RATIO`."""
    lo, hi = float(lo), float(hi)
    if not (lo > 0.0) or not math.isfinite(hi) or hi > BUCKET_MAX_RATIO * lo:
        return 0.0, 0
    return lo, int(hi / lo) + 2


def _prepare(indptr: NDArray[np.int32], cols: NDArray[np.int32], w: NDArray[np.float64]) -> _Graph:
    """The graph to search. A graph searched again (same checksum as the last call's) is
    renumbered in breadth-first order once and kept, so later searches read memory in
    order; a graph seen once is searched as given (renumbering costs about a search). The
    kept copy is used only for a graph whose arrays equal those it was made from: two
    graphs can share a checksum."""
    global _last_seen, _renumbered
    with np.errstate(over="ignore"):  # the hash wraps by design (Numba: silently)
        fp, lo, hi = _kernels.fingerprint(indptr, cols, w)
    key = int(fp)
    delta, n_buckets = _buckets(lo, hi)
    arrays = (indptr, cols, w)
    with _reuse_lock:
        kept = _renumbered
        again = _last_seen == key
        _last_seen = key
    if kept is not None and kept[0] == key and _same(arrays, kept[1]):
        return kept[2]
    if not again:
        return _Graph(indptr, cols, w, delta, n_buckets, None, None)
    order = _kernels.bfs_order(indptr, cols)
    p, idx, pw, _ = _kernels.permute_csr(indptr, cols, w, order)
    rank = np.empty(order.shape[0], dtype=np.int64)
    rank[order] = np.arange(order.shape[0], dtype=np.int64)
    g = _Graph(p, idx, pw, delta, n_buckets, order, rank)
    with _reuse_lock:
        _renumbered = (key, tuple(np.array(a) for a in arrays), g)
    return g


def _search_all(
    g: _Graph, src: NDArray[np.int64], lim: float, want_pred: bool
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """One-to-all from each source: distances and predecessor *nodes* (``-9999`` none),
    rows in the order of ``src``, columns in the caller's node numbers."""
    n = g.indptr.shape[0] - 1
    s = g.rank[src] if g.rank is not None else src
    dist = np.full((src.size, n), np.inf)
    pred = np.full((src.size, n) if want_pred else (0, 0), NO_PRED, dtype=np.int32)
    flat = pred[0] if want_pred and src.size else pred.reshape(-1)
    if src.size == 1 and g.n_buckets:  # one search: serially, no parallel region to start
        _kernels.bucket_one_to_all(
            g.indptr, g.indices, g.weights, int(s[0]), lim, g.delta, g.n_buckets, want_pred,
            dist[0], flat,
        )  # fmt: skip
    elif src.size == 1:
        _kernels.one_to_all(
            g.indptr, g.indices, g.weights, int(s[0]), lim, want_pred, dist[0], flat
        )
    elif src.size and g.n_buckets:
        _kernels.bucket_many_to_all(
            g.indptr, g.indices, g.weights, s, lim, g.delta, g.n_buckets, want_pred,
            n_chunks(src.size), dist, pred,
        )  # fmt: skip
    elif src.size:
        _kernels.many_to_all(
            g.indptr, g.indices, g.weights, s, lim, want_pred, n_chunks(src.size), dist, pred
        )
    nodes = _pred_nodes(pred, _tail(g.indptr)) if want_pred else pred
    if g.rank is None:
        return dist, nodes
    dist = dist[:, g.rank]
    if want_pred:
        nodes = nodes[:, g.rank]
        has = nodes != SCIPY_NO_PRED
        nodes[has] = g.order[nodes[has]]  # type: ignore[index]
    return dist, nodes


def _dijkstra(
    csgraph: Any,
    directed: bool,
    indices: ArrayLike | None,
    return_predecessors: bool,
    unweighted: bool,
    limit: Any,
    min_only: bool,
    needs: str,
) -> Any:
    indptr, cols, w = _csr(csgraph, directed, unweighted, needs)
    n = indptr.shape[0] - 1
    shape: tuple[int, ...] = (n,)
    if indices is None:
        src = np.arange(n, dtype=np.int64)
    else:
        src, shape = _node_numbers("indices", indices, n)
    lim = _limit(limit)
    if min_only:  # one multi-source search; outputs of shape (N,) whatever the indices
        dist = np.full(n, np.inf)
        pred = np.full(n, NO_PRED, dtype=np.int32)
        origin = np.full(n, NO_PRED, dtype=np.int32)
        _kernels.min_over_sources(indptr, cols, w, src, lim, dist, pred, origin)
        if not return_predecessors:
            return dist
        nodes = _pred_nodes(pred, _tail(indptr))
        origin = np.where(origin == NO_PRED, SCIPY_NO_PRED, origin).astype(np.int32)
        return dist, nodes, origin

    dist2, pred2 = _search_all(_prepare(indptr, cols, w), src, lim, return_predecessors)
    out_shape = (*shape, n)  # scipy: indices.shape + (N,); a scalar index gives (N,)
    if not return_predecessors:
        return dist2.reshape(out_shape)
    return dist2.reshape(out_shape), pred2.reshape(out_shape)


def dijkstra(
    csgraph: Any,
    directed: bool = True,
    indices: ArrayLike | None = None,
    return_predecessors: bool = False,
    unweighted: bool = False,
    limit: float = np.inf,
    min_only: bool = False,
) -> Any:
    """Dijkstra's algorithm, with the signature and outputs of ``scipy.sparse.csgraph.dijkstra``.

    Parameters
    ----------
    csgraph : array_like, masked array or sparse array/matrix, shape (N, N)
        Edge weights, ``>= 0``, read as scipy reads them (see the module's docstring).
    directed : bool
        If False, an edge may be travelled both ways (at the smaller of ``G[i, j]`` and
        ``G[j, i]``).
    indices : int or array_like of int, optional
        Sources, of any shape (negative numbers count from the end); all nodes if omitted.
    return_predecessors : bool
        Also return the predecessors (``-9999`` where there is none).
    unweighted : bool
        Count edges instead of summing weights.
    limit : float
        Distances above ``limit`` are reported as ``inf``.
    min_only : bool
        Return, for each node, the distance from the nearest source (1-D), plus the
        predecessors and which source it was reached from.

    Returns
    -------
    dist_matrix : ndarray of float64, shape ``indices.shape + (N,)``, or ``(N,)`` if ``min_only``
        ``(N, N)`` when ``indices`` is omitted; ``(N,)`` for a scalar index.
    predecessors : ndarray of int32, same shape, if ``return_predecessors``
    sources : ndarray of int32, shape (N,), if ``min_only`` and ``return_predecessors``

    Raises
    ------
    DataError
        On negative or NaN weights, a non-square graph, indices that are not whole numbers
        or out of range, or a limit that is not a number ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from corridor import csgraph
    >>> g = np.array([[0, 1, 5], [0, 0, 2], [0, 0, 0]], dtype=float)
    >>> csgraph.dijkstra(g, indices=0)
    array([0., 1., 3.])
    >>> d, p = csgraph.dijkstra(g, indices=[0], return_predecessors=True)
    >>> p
    array([[-9999,     0,     1]], dtype=int32)
    >>> csgraph.dijkstra(g, indices=[[0], [1]]).shape  # indices.shape + (N,)
    (2, 1, 3)
    """
    return _dijkstra(
        csgraph, directed, indices, return_predecessors, unweighted, limit, min_only, _NEEDS
    )


def shortest_path(
    csgraph: Any,
    method: str = "auto",
    directed: bool = True,
    return_predecessors: bool = False,
    unweighted: bool = False,
    overwrite: bool = False,
    indices: ArrayLike | None = None,
) -> Any:
    """All shortest paths, with the signature and outputs of
    ``scipy.sparse.csgraph.shortest_path``.

    ``method="auto"`` and ``"D"`` search with corridor's Dijkstra (:func:`dijkstra`), so the
    weights must be ``>= 0``. The methods for negative weights, ``"FW"`` (Floyd–Warshall),
    ``"BF"`` (Bellman–Ford) and ``"J"`` (Johnson), are scipy's: the call is passed on to
    ``scipy.sparse.csgraph.shortest_path`` unchanged, with scipy's behaviour (negative
    weights allowed, ``NegativeCycleError``, ``ValueError`` for ``"FW"`` with ``indices``).

    Parameters
    ----------
    csgraph : array_like, masked array or sparse array/matrix, shape (N, N)
        Edge weights (see the module's docstring for how they are read).
    method : {'auto', 'D', 'FW', 'BF', 'J'}
        ``'auto'`` and ``'D'``: corridor's Dijkstra. Unlike scipy, ``'auto'`` never picks
        Floyd–Warshall or Johnson's: the distances are the same, and negative weights raise.
    directed, return_predecessors, unweighted, indices
        As in :func:`dijkstra`.
    overwrite : bool
        Used by scipy's ``'FW'`` only (as in scipy); corridor never writes to ``csgraph``.

    Returns
    -------
    dist_matrix : ndarray of float64, shape ``indices.shape + (N,)`` (``(N, N)`` if omitted)
    predecessors : ndarray of int32, same shape, if ``return_predecessors``

    Raises
    ------
    DataError
        On an unknown method; with ``'auto'`` or ``'D'``, as :func:`dijkstra` does (negative
        weights included: use ``'BF'`` or ``'J'`` for those).

    Examples
    --------
    >>> import numpy as np
    >>> from corridor import csgraph
    >>> g = np.array([[0, 1, 5], [0, 0, 2], [0, 0, 0]], dtype=float)
    >>> csgraph.shortest_path(g, method="D", directed=False)
    array([[0., 1., 3.],
           [1., 0., 2.],
           [3., 2., 0.]])
    >>> csgraph.shortest_path(np.array([[0, 2.0], [-1.0, 0]]), method="J")  # scipy's
    array([[ 0.,  2.],
           [-1.,  0.]])
    """
    if not isinstance(method, str) or method not in CORRIDOR_METHODS + SCIPY_METHODS:
        raise DataError(
            f"unrecognized method {shown(method)}: use 'auto' or 'D' (corridor's Dijkstra), "
            "or 'FW', 'BF' or 'J' (scipy's)"
        )
    if method in SCIPY_METHODS:
        from scipy.sparse.csgraph import shortest_path as scipy_shortest_path

        return scipy_shortest_path(
            csgraph,
            method=method,
            directed=directed,
            return_predecessors=return_predecessors,
            unweighted=unweighted,
            overwrite=overwrite,
            indices=indices,
        )
    needs = f"{_NEEDS} (method={method!r}); for negative weights use method='BF' or 'J' (scipy's)"
    return _dijkstra(
        csgraph, directed, indices, return_predecessors, unweighted, np.inf, False, needs
    )


def _endpoint(name: str, value: Any) -> int:
    """A node given as one whole number (an integral float is accepted, as scipy does)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise DataError(f"{name} must be a node number (an integer), got {shown(value)}")
    if isinstance(value, numbers.Integral):
        return operator.index(value)
    x = float(value)
    if not x.is_integer():
        raise DataError(f"{name} must be a node number (an integer), got {shown(value)}")
    return int(x)


def yen(
    csgraph: Any,
    source: int,
    sink: int,
    K: int,  # noqa: N803 (scipy's name)
    *,
    directed: bool = True,
    return_predecessors: bool = False,
    unweighted: bool = False,
) -> Any:
    """Yen's K shortest loopless paths, with the signature and outputs of
    ``scipy.sparse.csgraph.yen`` (scipy >= 1.14).

    Yen's algorithm over corridor's Dijkstra kernels: each deviation ("spur") search is a
    point-to-point Numba search that stops at the sink, with the root path's nodes and the
    arcs already taken after the same root blocked. Paths come in order of length; paths of
    equal length come in the order the algorithm generated them (the earliest-generated
    first, spur nodes taken from the source towards the sink). scipy orders ties its own
    way, so when paths tie, the two may list them (and choose among them at the K-th) in a
    different order; the lengths are the same.

    Parameters
    ----------
    csgraph : array_like, masked array or sparse array/matrix, shape (N, N)
        Edge weights, ``>= 0`` (see the module's docstring for how they are read).
    source, sink : int
        The end nodes, ``0 <= source, sink < N``.
    K : int
        How many paths to find, ``>= 0``.
    directed : bool
        If False, an edge may be travelled both ways.
    return_predecessors : bool
        Also return the predecessors of each path.
    unweighted : bool
        Count edges instead of summing weights.

    Returns
    -------
    dist_array : ndarray of float64, shape (M,)
        The lengths of the ``M <= K`` paths found (fewer than ``K`` when there are no
        more loopless paths; empty when the sink cannot be reached; ``[0.]`` when
        ``source == sink``).
    predecessors : ndarray of int32, shape (M, N), if ``return_predecessors``
        Row ``i``: the node before each node on path ``i``, ``-9999`` for the source and
        for nodes off the path.

    Raises
    ------
    DataError
        On negative or NaN weights (scipy reweights negative graphs by Johnson's
        algorithm), a non-square graph, ``source`` or ``sink`` not a node number in
        ``0...N-1``, or ``K`` not a whole number ``>= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from corridor import csgraph
    >>> graph = np.array([[0, 1, 2, 0], [0, 0, 0, 1], [2, 0, 0, 3], [0, 0, 0, 0]])
    >>> dist, pred = csgraph.yen(graph, 0, 3, 2, directed=False, return_predecessors=True)
    >>> dist
    array([2., 5.])
    >>> pred
    array([[-9999,     0, -9999,     1],
           [-9999, -9999,     0,     2]], dtype=int32)
    >>> csgraph.yen(graph, 0, 3, 5)  # only two loopless paths from 0 to 3
    array([2., 5.])
    """
    from corridor.tradeoffs import k_shortest_paths  # tradeoffs imports this module

    needs = "yen needs weights >= 0 (corridor does not reweight by Johnson's as scipy does)"
    indptr, cols, w = _csr(csgraph, directed, unweighted, needs)
    n = indptr.shape[0] - 1
    s, t = _endpoint("source", source), _endpoint("sink", sink)
    if not (0 <= s < n and 0 <= t < n):
        raise DataError(
            "For csgraph with shape (N, N), must have 0 <= source < N and 0 <= sink < N. "
            f"Got N={n}, source={s}, sink={t}."
        )
    k = check_int("K", K, ge=0)
    paths = k_shortest_paths(indptr, cols, w, s, t, k, max_candidates=sys.maxsize) if k else []
    dist = np.array([cost for cost, _ in paths], dtype=FLOAT)
    if not return_predecessors:
        return dist
    tail = _tail(indptr)
    pred = np.full((len(paths), n), SCIPY_NO_PRED, dtype=np.int32)
    for i, (_, arcs) in enumerate(paths):
        pred[i, cols[arcs]] = tail[arcs]
    return dist, pred
