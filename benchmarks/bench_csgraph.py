"""csgraph benchmark: corridor.csgraph's shortest_path(method="D") and yen against scipy's.

Run from the repository root::

    .venv/bin/python benchmarks/bench_csgraph.py            # 11 rounds (about a minute)
    .venv/bin/python benchmarks/bench_csgraph.py --quick    # 5 rounds, prints only

Graphs: the k x k grids of ``bench_routing.grid`` (arcs both ways, weights uniform in
[1, 10), seed 7) with shuffled ids, and a random sparse digraph (5,000 nodes, 20,000 arcs,
weights uniform in [1, 10), ``default_rng(11)``). Timing is ``bench_grid``'s: contenders
interleaved, round r starting at contender r mod N, one untimed warm-up call and one timed
call per contender and round, the garbage collector off while timing; ratios are per round,
to scipy in the same round (median and minimum over the rounds). Before timing, each
contender's output (distances, or yen's path lengths) is checked against scipy's.

``shortest_path(method="D")`` runs corridor's sources in parallel (Numba ``prange``, all
threads unless said), scipy's one after another; a 1-thread row shows the serial figure.
``yen`` is serial in both. Writes ``benchmarks/results/csgraph.md`` (a ``--quick`` run only
prints, unless ``--out STEM`` is given).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import scipy.sparse as sp
from bench_grid import (
    RESULTS,
    SCIPY,
    Contender,
    collect_meta,
    commit_text,
    interleaved,
    meta_line,
    print_table,
    ratio_table,
    summarize,
)
from bench_routing import grid
from scipy.sparse import csgraph as scipy_csgraph

from corridor import csgraph

VERSIONS = ("corridor", "numpy", "scipy", "numba")


def with_threads(fn: Callable[[Any], Any], threads: int) -> Callable[[Any], Any]:
    """``fn`` run with ``threads`` Numba threads (set inside the timed call, as bench_grid)."""

    def run(arg: Any) -> Any:
        before = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            return fn(arg)
        finally:
            numba.set_num_threads(before)

    return run


def random_digraph(n: int, m: int, seed: int = 11) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    g = sp.csr_matrix(
        (rng.uniform(1.0, 10.0, m), (rng.integers(0, n, m), rng.integers(0, n, m))), shape=(n, n)
    )
    g.sum_duplicates()
    return g


def reachable_pairs(g: sp.csr_matrix, count: int, seed: int = 3) -> list[tuple[int, int]]:
    """``count`` (source, sink) pairs, sink reachable from source and not equal to it."""
    rng = np.random.default_rng(seed)
    n = g.shape[0]
    out: list[tuple[int, int]] = []
    while len(out) < count:
        s = int(rng.integers(0, n))
        reach = np.flatnonzero(np.isfinite(scipy_csgraph.dijkstra(g, indices=s)))
        reach = reach[reach != s]
        if reach.size:
            out.append((s, int(rng.choice(reach))))
    return out


def table(
    title: str,
    what: str,
    contenders: list[Contender],
    params: list[Any],
    check: Callable[[Any, Any], bool],
) -> dict[str, Any]:
    print(f"\n{title}", flush=True)
    reference = contenders[0].run(params[0])
    for c in contenders:
        c.matches_scipy = bool(check(c.run(params[0]), reference))
        if not c.matches_scipy:
            print(f"  WARNING: {c.name} disagrees with scipy", flush=True)
    interleaved(contenders, params)
    out = {"title": title, "what": what, "rounds": len(params), "rows": summarize(contenders)}
    print_table(out)
    return out


def same_distances(a: Any, b: Any) -> bool:
    a, b = (x[0] if isinstance(x, tuple) else x for x in (a, b))
    return bool(np.allclose(a, b))


def same_lengths(a: Any, b: Any) -> bool:
    return bool(a.shape == b.shape and np.allclose(a, b))


def shortest_path_tables(rounds: int) -> list[dict[str, Any]]:
    threads = numba.get_num_threads()
    out = []
    g = grid(32, True)

    def all_pairs(sp_fn: Callable[..., Any]) -> Callable[[Any], Any]:
        return lambda _: sp_fn(g, method="D")

    out.append(
        table(
            f"shortest_path(method='D'), all pairs, 32x32 grid ({g.shape[0]:,} nodes, "
            f"{g.nnz:,} arcs)",
            "`shortest_path(g, method='D')`: the 1,024 x 1,024 distance matrix",
            [
                Contender(SCIPY, all_pairs(scipy_csgraph.shortest_path), "single-threaded"),
                Contender(
                    f"corridor, {threads} threads", all_pairs(csgraph.shortest_path), "prange"
                ),
                Contender(
                    "corridor, 1 thread",
                    with_threads(all_pairs(csgraph.shortest_path), 1),
                    "numba.set_num_threads(1)",
                ),
            ],
            [None] * rounds,
            same_distances,
        )
    )
    g = grid(300, True)
    rng = np.random.default_rng(3)
    sources = [rng.choice(g.shape[0], 16, replace=False) for _ in range(rounds)]

    def some(sp_fn: Callable[..., Any]) -> Callable[[Any], Any]:
        return lambda idx: sp_fn(g, method="D", indices=idx, return_predecessors=True)

    out.append(
        table(
            f"shortest_path(method='D'), 16 sources with predecessors, 300x300 grid "
            f"({g.shape[0]:,} nodes)",
            "`shortest_path(g, method='D', indices=16 sources, return_predecessors=True)`, "
            "new sources each round",
            [
                Contender(SCIPY, some(scipy_csgraph.shortest_path), "single-threaded"),
                Contender(f"corridor, {threads} threads", some(csgraph.shortest_path), "prange"),
                Contender(
                    "corridor, 1 thread",
                    with_threads(some(csgraph.shortest_path), 1),
                    "numba.set_num_threads(1)",
                ),
            ],
            sources,
            same_distances,
        )
    )
    return out


def yen_tables(rounds: int) -> list[dict[str, Any]]:
    out = []
    cases: list[tuple[str, sp.csr_matrix, int]] = [
        ("50x50 grid", grid(50, True), 10),
        ("100x100 grid", grid(100, True), 10),
        ("random digraph", random_digraph(5_000, 20_000), 20),
    ]
    for label, g, k in cases:
        pairs = reachable_pairs(g, rounds)

        def run(fn: Callable[..., Any], g: sp.csr_matrix = g, k: int = k) -> Any:
            return lambda st: fn(g, st[0], st[1], k)

        out.append(
            table(
                f"yen, K={k}, {label} ({g.shape[0]:,} nodes, {g.nnz:,} arcs)",
                f"`yen(g, source, sink, {k})`, a random reachable pair each round",
                [
                    Contender(SCIPY, run(scipy_csgraph.yen), "full Dijkstra per spur"),
                    Contender("corridor", run(csgraph.yen), "spur searches stop at the sink"),
                ],
                pairs,
                same_lengths,
            )
        )
    return out


def write_markdown(path: Any, meta: dict[str, Any], tables: list[dict[str, Any]]) -> None:
    v = meta["versions"]
    md = [
        "# csgraph benchmark: shortest_path(method='D') and yen against scipy",
        "",
        f"{meta['date']}; {meta['platform']}; {meta['cpu']}, {meta['cpu_count']} CPUs, "
        f"{meta['numba_threads']} Numba threads; Python {meta['python']}; corridor "
        f"{v['corridor']} at {commit_text(meta)}.",
        "",
        "Versions: " + ", ".join(f"{k} {v[k]}" for k in VERSIONS) + ". Load average "
        f"(1, 5, 15 min) at start {meta['load_avg_start']}, at end {meta['load_avg_end']}.",
        "",
        f"`python benchmarks/bench_csgraph.py{' --quick' if meta['quick'] else ''}`. Grids: "
        "`bench_routing.grid(k, shuffle=True)` (arcs both ways, weights uniform in [1, 10), "
        "shuffled ids); random digraph: 5,000 nodes, 20,000 arcs drawn uniformly "
        "(`default_rng(11)`), weights uniform in [1, 10). Contenders are interleaved, round r "
        "starting at contender r mod N; each makes one untimed warm-up call and one timed "
        "call per round. Ratios are per round, to scipy in the same round; *median ratio* "
        "and *min ratio* are over the rounds. *same as scipy*: distances (shortest_path) or "
        "path lengths (yen) equal to scipy's on the first round's input.",
    ]
    for t in tables:
        md += ["", f"## {t['title']}", "", meta_line(meta), "", f"{t['what']}; {t['rounds']} "]
        md[-1] += "rounds."
        md += ["", *ratio_table(t["rows"], "same as scipy", "note")]
    md += [
        "",
        "## Notes",
        "",
        "* scipy's `yen` runs a one-to-all Dijkstra (Fibonacci heap) from every spur node; "
        "corridor's spur searches are point-to-point Numba searches that stop when the sink "
        "is settled, over a copy of the weights with the blocked arcs set to `inf`.",
        "* corridor's `shortest_path(method='D')` is `corridor.csgraph.dijkstra`: several "
        "sources run in parallel (`prange`); the 1-thread rows use `numba.set_num_threads(1)`.",
    ]
    path.write_text("\n".join(md) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds; prints only")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 11, quick 5)")
    parser.add_argument("--out", default=None, help="file stem in benchmarks/results/")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 11)
    stem = args.out or (None if args.quick else "csgraph")
    meta = collect_meta(rounds, args.quick)
    meta["versions"] = {k: meta["versions"][k] for k in VERSIONS}
    if meta["load_avg_start"][0] > 0.5:
        print(f"WARNING: machine busy, load average {meta['load_avg_start']}", flush=True)
    print(
        f"{meta['date']}, {meta['platform']}, {meta['cpu']} ({meta['cpu_count']} CPUs, "
        f"{meta['numba_threads']} Numba threads), corridor {commit_text(meta)}, {rounds} rounds",
        flush=True,
    )
    tables = shortest_path_tables(rounds) + yen_tables(rounds)
    meta["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    if stem is None:
        print("\n--quick: nothing written (pass --out STEM to write results)", flush=True)
        return
    RESULTS.mkdir(exist_ok=True)
    write_markdown(RESULTS / f"{stem}.md", meta, tables)
    print(f"\nwrote {RESULTS / (stem + '.md')}", flush=True)


if __name__ == "__main__":
    main()
