"""Routing benchmarks: corridor's Numba core against scipy, igraph and networkx.

Run from the repository root after ``pip install -e '.[bench]'``::

    .venv/bin/python benchmarks/bench_routing.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_routing.py --quick    # skips the large networkx run

Prints a table of medians and ratios against the targets of the routing-core issue and
writes it to ``benchmarks/results/routing.md`` and ``routing.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np
import scipy.sparse as sp
from _timing import timeit
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

import corridor as cr
from corridor import _kernels, csgraph
from corridor._compile import compiled
from corridor.costs import CostModel

RESULTS = Path(__file__).resolve().parent / "results"
rows: list[dict[str, Any]] = []


def record(
    name: str,
    seconds: float,
    unit: str = "ms",
    note: str = "",
    target: str = "",
    ok: bool | None = None,
) -> None:
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    rows.append(
        {
            "benchmark": name,
            "median": round(seconds * scale, 3),
            "unit": unit,
            "note": note,
            "target": target,
            "met": ok,
        }
    )
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    print(f"{name:<58} {seconds * scale:>12.3f} {unit:<3} {note:<34} {target}{mark}", flush=True)


def grid(k: int, shuffle: bool, seed: int = 7) -> sp.csr_matrix:
    """A k x k 4-neighbour grid, both directions, weights uniform in [1, 10)."""
    rng = np.random.default_rng(seed)
    idx = np.arange(k * k).reshape(k, k)
    a = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    b = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    rows_, cols = np.concatenate([a, b]), np.concatenate([b, a])
    w = rng.uniform(1.0, 10.0, rows_.size)
    if shuffle:
        perm = rng.permutation(k * k)
        rows_, cols = perm[rows_], perm[cols]
    g = sp.csr_matrix((w, (rows_, cols)), shape=(k * k, k * k))
    g.sort_indices()
    return g


def kernel_one_to_all(g: sp.csr_matrix) -> Callable[[int], np.ndarray]:
    """corridor's kernel with a reused workspace: distances only, like scipy's default."""
    indptr, indices, w = (
        g.indptr.astype(np.int32),
        g.indices.astype(np.int32),
        g.data.astype(np.float64),
    )
    n = g.shape[0]
    dist, _, origin, pos, hkey, hnode, touched = _kernels.new_workspace(n, False)
    no_pred = np.empty(0, dtype=np.int32)

    def run(s: int) -> np.ndarray:
        src = np.array([s], dtype=np.int64)
        nt = _kernels.dijkstra(
            indptr, indices, w, src, -1, np.inf, dist, no_pred, origin, pos, hkey, hnode, touched
        )
        out = dist.copy()
        _kernels.reset(nt, touched, dist, no_pred, origin, pos)
        return out

    return run


def bench_grids(quick: bool) -> dict[str, float]:
    growth: dict[str, float] = {}
    for k in (100, 300, 316, 1000):
        for shuffle in (False, True):
            if k in (100, 316) and shuffle:
                continue
            _bench_grid(k, shuffle, quick, growth)
    return growth


def _bench_grid(k: int, shuffle: bool, quick: bool, growth: dict[str, float]) -> None:
    import igraph as ig
    import networkx as nx

    g = grid(k, shuffle)
    n = g.shape[0]
    label = f"grid {k}x{k} ({'shuffled ids' if shuffle else 'locality order'})"
    sources = [int(s) for s in np.random.default_rng(3).integers(0, n, 3)]
    ours = kernel_one_to_all(g)
    assert np.allclose(ours(sources[0]), scipy_dijkstra(g, indices=sources[0]))
    t_ours = statistics.median(timeit(lambda s=s: ours(s), repeat=3) for s in sources)
    t_scipy = statistics.median(
        timeit(lambda s=s: scipy_dijkstra(g, indices=s), repeat=3) for s in sources
    )
    if not shuffle and k in (100, 316, 1000):
        growth[f"n={n:.0e}"] = t_ours
        growth[f"scipy n={n:.0e}"] = t_scipy
    if k in (100, 316):
        return
    main = k == 1000 and not shuffle
    t_api = statistics.median(
        timeit(lambda s=s: csgraph.dijkstra(g, indices=s), repeat=3) for s in sources
    )
    ratio = t_ours / t_scipy
    record(f"one-to-all {label}: scipy", t_scipy)
    record(
        f"one-to-all {label}: corridor kernel",
        t_ours,
        note=f"{ratio:.2f}x scipy",
        target="<= 0.85x scipy" if main else "",
        ok=(ratio <= 0.85) if main else None,
    )
    record(
        f"one-to-all {label}: corridor.csgraph.dijkstra",
        t_api,
        note=f"{t_api / t_scipy:.2f}x scipy",
    )
    coo = g.tocoo()
    edges = list(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    ig_graph = ig.Graph(n=n, edges=edges, directed=True)
    ig_graph.es["weight"] = coo.data.tolist()
    t_ig = timeit(lambda: ig_graph.distances(source=sources[0], weights="weight"), repeat=3)
    record(
        f"one-to-all {label}: igraph",
        t_ig,
        note=f"corridor {t_ig / t_ours:.1f}x faster",
        target=">= 4x faster" if main else "",
        ok=(t_ig / t_ours >= 4) if main else None,
    )
    if not shuffle and (k == 300 or not quick):
        nxg = nx.DiGraph()
        nxg.add_weighted_edges_from(
            zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
        )
        t_nx = timeit(
            lambda: nx.single_source_dijkstra_path_length(nxg, sources[0]), repeat=1, warmup=0
        )
        record(
            f"one-to-all {label}: networkx",
            t_nx,
            unit="s" if t_nx > 1 else "ms",
            note=f"corridor {t_nx / t_ours:.0f}x faster",
            target=">= 25x faster" if main else "",
            ok=(t_nx / t_ours >= 25) if main else None,
        )


def bench_corridor() -> None:
    net = cr.load_network()
    g = compiled(net, CostModel(), None)
    w = g.weights("generalized")
    hubs = list(range(g.n_hubs))
    pairs = [(a, b) for a in hubs for b in hubs if a != b]
    ws = _kernels.new_workspace(g.n_nodes, False)

    def p2p_all() -> None:
        for a, b in pairs:
            _kernels.shortest_path(g.indptr, g.indices, w, g.tail, g.source(a), g.sink(b), *ws)

    per_query = timeit(p2p_all, repeat=5) / len(pairs)
    record(
        f"point-to-point, corridor network ({g.n_nodes} nodes, {g.indices.size} arcs): kernel",
        per_query,
        unit="us",
        note=f"all {len(pairs)} hub pairs",
        target="<= 5 us",
        ok=per_query <= 5e-6,
    )
    names = list(net.nodes.index)
    rng = np.random.default_rng(5)
    sample = [(names[a], names[b]) for a, b in rng.choice(len(names), size=(300, 2)) if a != b]

    def routes() -> None:
        for a, b in sample:
            with contextlib.suppress(cr.NoRouteError):
                cr.route(net, a, b)

    per_route = timeit(routes, repeat=5) / len(sample)
    record(
        "route() incl. building the Route",
        per_route,
        unit="us",
        note=f"{len(sample)} random hub pairs, warm",
        target="<= 40 us",
        ok=per_route <= 40e-6,
    )
    per_pair = timeit(lambda: cr.route_matrix(net, names, names), repeat=5) / len(names) ** 2
    record(
        "route_matrix() all hub pairs",
        per_pair,
        unit="us",
        note=f"{len(names)}x{len(names)} pairs",
        target="<= 5 us/pair",
        ok=per_pair <= 5e-6,
    )


def bench_parallel() -> None:
    g = grid(300, False)
    indptr, indices, w = g.indptr.astype(np.int32), g.indices.astype(np.int32), g.data
    n = g.shape[0]
    sources = np.random.default_rng(11).integers(0, n, 64).astype(np.int64)

    def run() -> None:
        out = np.full((sources.size, n), np.inf)
        _kernels.many_to_all(
            indptr,
            indices,
            w,
            sources,
            np.inf,
            False,
            csgraph.n_chunks(sources.size),
            out,
            np.empty((0, 0), np.int32),
        )

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    t1 = timeit(run, repeat=3)
    numba.set_num_threads(threads)
    tn = timeit(run, repeat=3)
    record("many-to-all, 64 sources, 300x300 grid: 1 thread", t1)
    record(
        f"many-to-all, 64 sources, 300x300 grid: {threads} threads",
        tn,
        note=f"{t1 / tn:.2f}x the 1-thread throughput",
        target=">= 1.6x",
        ok=t1 / tn >= 1.6,
    )


def bench_startup() -> None:
    py = sys.executable
    base_code = "import geopandas, numba"
    ours_code = (
        "import corridor as cr; net = cr.load_network(); cr.route(net, 'Guiyang', 'Singapore')"
    )
    subprocess.run([py, "-c", ours_code], check=True)  # fill the Numba cache

    def run(code: str) -> float:
        t = time.perf_counter()
        subprocess.run([py, "-c", code], check=True)
        return time.perf_counter() - t

    base = statistics.median(run(base_code) for _ in range(5))
    ours = statistics.median(run(ours_code) for _ in range(5))
    record("start-up: python -c 'import geopandas, numba'", base, unit="s")
    record(
        "start-up: import corridor + load_network() + route()",
        ours,
        unit="s",
        note=f"+{ours - base:.2f} s over the baseline",
        target="<= +1 s",
        ok=ours - base <= 1.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip networkx on the 1000x1000 grid")
    args = parser.parse_args()
    print(
        f"corridor {cr.__version__}, numba {numba.__version__}, {numba.get_num_threads()} threads, "
        f"{platform.machine()}, Python {platform.python_version()}\n"
    )
    print(f"{'benchmark':<58} {'median':>12}     {'note':<34} target")
    growth = bench_grids(args.quick)
    bench_corridor()
    bench_parallel()
    bench_startup()
    keys = sorted({k.split()[-1] for k in growth})
    line = ", ".join(
        f"{k}: {growth[k] * 1e3:.1f} ms (scipy {growth['scipy ' + k] * 1e3:.1f})" for k in keys
    )
    print(f"\ncost growth, one-to-all on grids (corridor kernel): {line}")
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "numba": numba.__version__,
        "threads": numba.get_num_threads(),
        "machine": platform.machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    (RESULTS / "routing.json").write_text(
        json.dumps({"meta": meta, "rows": rows, "growth_s": growth}, indent=1)
    )
    md = ["| benchmark | median | note | target | met |", "|---|---:|---|---|---|"]
    for r in rows:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        md.append(
            f"| {r['benchmark']} | {r['median']:,} {r['unit']} | {r['note']} | {r['target']} | {met} |"
        )
    md.append(f"\nCost growth (one-to-all, locality-ordered grids): {line}\n")
    md.append(
        f"Measured {meta['when']} on {meta['machine']}, {meta['threads']} threads, Python {meta['python']}, numba {meta['numba']}.\n"
    )
    (RESULTS / "routing.md").write_text("\n".join(md))
    print(f"\nwrote {RESULTS / 'routing.md'} and routing.json")


if __name__ == "__main__":
    main()
