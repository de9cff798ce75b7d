"""A scipy-compatible low-level shortest-path API over the Numba kernels.

:func:`dijkstra` takes the same arguments and returns the same outputs as
:func:`scipy.sparse.csgraph.dijkstra`, so it can be dropped in. Two deliberate differences:
negative and NaN weights raise :class:`~corridor.DataError` (scipy warns and returns
inaccurate results, or silently drops NaN edges), before any kernel runs.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from corridor import _kernels
from corridor._config import FLOAT, INDEX, NO_PRED, SCIPY_NO_PRED
from corridor._errors import DataError

__all__ = ["dijkstra", "to_csr_arrays"]


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


def _check_weights(w: NDArray[np.float64], rows: Any, cols: Any) -> None:
    bad = np.flatnonzero(np.isnan(w) | (w < 0))
    if bad.size:
        i = int(bad[0])
        what = "NaN" if np.isnan(w[i]) else "negative"
        raise DataError(
            f"graph has {bad.size} {what if bad.size == 1 else 'negative or NaN'} weight"
            f"{'s' if bad.size > 1 else ''}, first at ({rows(i)}, {cols(i)}) = {float(w[i])!r}; "
            "Dijkstra needs weights >= 0"
        )


def _canonical_csr(
    g: Any, unweighted: bool
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]] | None:
    """Use a canonical CSR matrix's arrays as they are (no copy when already int32/float64)."""
    w = np.asarray(g.data, dtype=FLOAT)
    indptr = np.asarray(g.indptr, dtype=INDEX)
    _check_weights(
        w, lambda i: int(np.searchsorted(indptr, i, side="right") - 1), lambda i: int(g.indices[i])
    )
    if np.isposinf(w).any():
        return None  # inf entries are non-edges: take the general path
    if unweighted:
        w = np.ones_like(w)
    return indptr, np.asarray(g.indices, dtype=INDEX), w


def to_csr_arrays(
    csgraph: Any, *, directed: bool = True, unweighted: bool = False
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
    """Validate a graph as scipy's csgraph routines read it; return ``(indptr, indices, weights)``.

    Dense input: zero and ``inf`` entries are not edges. Sparse input: stored entries are
    edges (explicit zeros included), except ``inf``. Parallel entries keep the smallest
    weight; an undirected graph keeps ``min(G[i, j], G[j, i])`` both ways.

    Raises
    ------
    DataError
        If the graph is not square, or has negative or NaN weights (naming the first entry).
    """
    import scipy.sparse as sp  # only here: importing corridor does not pay for it

    if (
        sp.issparse(csgraph)
        and csgraph.format == "csr"
        and directed
        and csgraph.shape[0] == csgraph.shape[1]
        and csgraph.has_canonical_format
    ):
        fast = _canonical_csr(csgraph, unweighted)
        if fast is not None:
            return fast
    if sp.issparse(csgraph):
        coo = sp.coo_matrix(csgraph)
        shape = coo.shape
        rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
        w = np.asarray(coo.data, dtype=FLOAT)
    else:
        dense = np.asarray(csgraph, dtype=FLOAT)
        if dense.ndim != 2:
            raise DataError(f"graph should be a square array, got shape {dense.shape}")
        shape = dense.shape
        nz = (dense != 0) & ~np.isposinf(dense)
        rows, cols = (a.astype(np.int64) for a in np.nonzero(nz))
        w = dense[nz]
    if len(shape) != 2 or shape[0] != shape[1]:
        raise DataError(f"graph should be a square array, got shape {shape}")
    _check_weights(w, lambda i: int(rows[i]), lambda i: int(cols[i]))
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
    csgraph : array_like or sparse matrix, shape (N, N)
        Edge weights, ``>= 0``.
    directed : bool
        If False, an edge may be travelled both ways.
    indices : int or array_like of int, optional
        Sources; all nodes if omitted.
    return_predecessors : bool
        Also return the predecessor matrix (``-9999`` where there is none).
    unweighted : bool
        Count edges instead of summing weights.
    limit : float
        Distances above ``limit`` are reported as ``inf``.
    min_only : bool
        Return, for each node, the distance from the nearest source (1-D), plus the
        predecessors and which source it was reached from.

    Returns
    -------
    dist_matrix : ndarray
    predecessors : ndarray of int32, if ``return_predecessors``
    sources : ndarray of int32, if ``min_only`` and ``return_predecessors``

    Raises
    ------
    DataError
        On negative or NaN weights, a non-square graph, or indices out of range.

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
    """
    indptr, cols, w = to_csr_arrays(csgraph, directed=directed, unweighted=unweighted)
    n = indptr.shape[0] - 1
    scalar = indices is not None and np.ndim(indices) == 0
    if indices is None:
        src = np.arange(n, dtype=np.int64)
    else:
        raw = np.atleast_1d(np.asarray(indices))
        if raw.dtype.kind not in "iuf" or (
            raw.dtype.kind == "f" and not np.array_equal(raw, np.round(raw))
        ):
            raise DataError(f"indices must be node numbers (integers), got {raw.dtype} values")
        src = raw.astype(np.int64).ravel()
        if src.size and (src.min() < -n or src.max() >= n):
            raise DataError(f"indices out of range 0...{n - 1}")
        src = np.where(src < 0, src + n, src)
    if isinstance(limit, bool) or not isinstance(limit, int | float | np.integer | np.floating):
        raise DataError(f"limit must be a number, got {type(limit).__name__}")
    limit = float(limit)
    if np.isnan(limit) or limit < 0:
        raise DataError(f"limit must be >= 0, got {limit!r}")
    if min_only:
        dist = np.full(n, np.inf)
        pred = np.full(n, NO_PRED, dtype=np.int32)
        origin = np.full(n, NO_PRED, dtype=np.int32)
        _kernels.min_over_sources(indptr, cols, w, src, limit, dist, pred, origin)
        if not return_predecessors:
            return dist
        nodes = _pred_nodes(pred, _tail(indptr))
        origin = np.where(origin == NO_PRED, SCIPY_NO_PRED, origin).astype(np.int32)
        return dist, nodes, origin

    dist2 = np.full((src.size, n), np.inf)
    pred2 = np.full((src.size, n) if return_predecessors else (0, 0), NO_PRED, dtype=np.int32)
    if src.size == 1:  # one search: serially, with no parallel region to start
        _kernels.one_to_all(
            indptr, cols, w, int(src[0]), limit, return_predecessors, dist2[0],
            pred2[0] if return_predecessors else pred2.reshape(-1),
        )  # fmt: skip
    elif src.size:
        chunks = n_chunks(src.size)
        _kernels.many_to_all(indptr, cols, w, src, limit, return_predecessors, chunks, dist2, pred2)
    if scalar:
        dist2 = dist2[0]
    if not return_predecessors:
        return dist2
    nodes2 = _pred_nodes(pred2, _tail(indptr))
    if scalar:
        nodes2 = nodes2[0]
    return dist2, nodes2
