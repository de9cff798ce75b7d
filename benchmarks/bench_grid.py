"""Grid benchmark: one-to-all Dijkstra on k x k grids against scipy and five graph libraries.

Run from the repository root after ``pip install -e '.[bench]'``::

    .venv/bin/python benchmarks/bench_grid.py            # full run (about ten minutes)
    .venv/bin/python benchmarks/bench_grid.py --quick    # 5 rounds, no 10^6 growth point

Graphs are the k x k 4-neighbour grids of ``bench_routing.py`` (both directions, weights
uniform in [1, 10), seed 7), with row-major ids ("locality order") or a random permutation of
ids ("shuffled"). What is timed, per contender, is one call returning the distances from one
source to every node; building each library's graph happens once, outside the timing.

Hygiene: contenders run interleaved over ``--rounds`` rounds (at least 11 unless ``--quick``);
round r starts at contender r mod N and goes round the list, every contender gets one untimed
warm-up call and then one timed call, all on the same source for that round (sources from
``numpy.random.default_rng(3)``). The garbage collector is off while a call is timed. Reported
per contender: the median time, and the median and minimum of the per-round ratios to scipy.
Every contender's distances are checked against scipy's before timing.

Writes ``benchmarks/results/grid.md`` and ``grid.json``; a ``--quick`` run only prints,
unless ``--out STEM`` names files to write.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numba
import numpy as np
import scipy.sparse as sp
from bench_routing import grid  # the same graphs as the routing benchmark
from scipy.sparse.csgraph import dijkstra as scipy_dijkstra

from corridor import csgraph

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SCIPY = "scipy"
CORRIDOR = "corridor.csgraph.dijkstra"
PACKAGES = ("corridor", "numpy", "scipy", "numba", "igraph", "rustworkx", "networkit", "scgraph")
PACKAGES += ("networkx",)

# Targets of the performance issue: (key, text, limit); a ratio must be <= limit.
TARGETS = {
    "locality": ("corridor one-to-all 1000x1000, locality order", 0.70),
    "shuffled": ("corridor one-to-all 1000x1000, shuffled ids", 0.75),
    "multi": ("corridor 64 sources, 300x300, 2 threads", 0.40),
}

Run = Callable[[Any], Any]
ToArray = Callable[[Any, int], np.ndarray]


# --------------------------------------------------------------------------- contenders
# Each builder converts the graph once and returns (run, to_array, note): run(source) is the
# timed call, to_array(result, source) turns its output into distances for the check.


def _scipy(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    return (lambda s: scipy_dijkstra(g, indices=s)), lambda r, s: np.asarray(r), "indices=source"


def _corridor(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    return (lambda s: csgraph.dijkstra(g, indices=s)), lambda r, s: np.asarray(r), "as scipy"


def _igraph(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    import igraph as ig

    coo = g.tocoo()
    graph = ig.Graph(n=g.shape[0], edges=np.column_stack([coo.row, coo.col]), directed=True)
    graph.es["weight"] = coo.data

    def run(s: int) -> Any:
        return graph.distances(source=s, weights="weight", mode="out")

    return run, lambda r, s: np.asarray(r[0], dtype=float), "Graph.distances(source, weights)"


def _rustworkx(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    import rustworkx as rx

    coo = g.tocoo()
    n = g.shape[0]
    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    arcs = zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    graph.add_edges_from(list(arcs))

    def run(s: int) -> Any:
        return rx.digraph_dijkstra_shortest_path_lengths(graph, s, float)

    def to_array(r: Any, s: int) -> np.ndarray:
        out = np.full(n, np.inf)
        out[np.fromiter(r.keys(), dtype=np.int64)] = np.fromiter(r.values(), dtype=float)
        out[s] = 0.0  # the mapping leaves the source out
        return out

    note = "digraph_dijkstra_shortest_path_lengths(g, s, float): a Python call per edge cost"
    return run, to_array, note


def _networkit(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    import networkit as nk

    coo = g.tocoo()
    graph = nk.GraphFromCoo(
        (coo.data, (coo.row, coo.col)), n=g.shape[0], directed=True, weighted=True
    )

    def run(s: int) -> Any:
        d = nk.distance.Dijkstra(graph, s, storePaths=False)
        d.run()
        return d.getDistances(asarray=True)

    return run, lambda r, s: np.asarray(r, dtype=float), "Dijkstra(storePaths=False).run()"


def _scgraph(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    import scgraph

    ptr, idx, w = g.indptr.tolist(), g.indices.tolist(), g.data.tolist()
    adj = [dict(zip(idx[a:b], w[a:b], strict=True)) for a, b in pairwise(ptr)]
    graph = scgraph.Graph(adj)

    def run(s: int) -> Any:
        return graph.get_shortest_path_tree(s)

    note = (
        f"{type(graph).__module__}.Graph.get_shortest_path_tree: one-to-all, also builds "
        "predecessors; returns Python lists"
    )
    return run, lambda r, s: np.asarray(r["distance_matrix"], dtype=float), note


def _networkx(g: sp.csr_matrix) -> tuple[Run, ToArray, str]:
    import networkx as nx

    coo = g.tocoo()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(g.shape[0]))
    graph.add_weighted_edges_from(
        zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    )
    n = g.shape[0]

    def run(s: int) -> Any:
        return nx.single_source_dijkstra_path_length(graph, s)

    def to_array(r: Any, s: int) -> np.ndarray:
        out = np.full(n, np.inf)
        out[np.fromiter(r.keys(), dtype=np.int64)] = np.fromiter(r.values(), dtype=float)
        return out

    return run, to_array, "single_source_dijkstra_path_length"


BUILDERS: dict[str, Callable[[sp.csr_matrix], tuple[Run, ToArray, str]]] = {
    SCIPY: _scipy,
    CORRIDOR: _corridor,
    "igraph": _igraph,
    "rustworkx": _rustworkx,
    "networkit": _networkit,
    "scgraph": _scgraph,
    "networkx": _networkx,
}


# --------------------------------------------------------------------------- timing


@dataclass
class Contender:
    name: str
    run: Run
    note: str = ""
    matches_scipy: bool | None = None
    times: list[float] = field(default_factory=list)


def interleaved(contenders: list[Contender], sources: list[Any], log: str = "") -> None:
    """Time every contender once per round (after an untimed warm-up on the same source)."""
    n = len(contenders)
    for r, s in enumerate(sources):
        gc.collect()
        for i in range(n):
            c = contenders[(r + i) % n]
            c.run(s)  # warm-up
            gc.disable()
            try:
                t = time.perf_counter()
                c.run(s)
                c.times.append(time.perf_counter() - t)
            finally:
                gc.enable()
        if log:
            print(f"  {log}: round {r + 1}/{len(sources)} done", flush=True)


def summarize(contenders: list[Contender], baseline: str = SCIPY) -> list[dict[str, Any]]:
    base = next(c for c in contenders if c.name == baseline).times
    out = []
    for c in contenders:
        ratios = [t / b for t, b in zip(c.times, base, strict=True)]
        out.append(
            {
                "contender": c.name,
                "median_s": statistics.median(c.times),
                "min_s": min(c.times),
                "ratio_median": statistics.median(ratios),
                "ratio_min": min(ratios),
                "times_s": c.times,
                "ratios": ratios,
                "matches_scipy": c.matches_scipy,
                "note": c.note,
            }
        )
    return out


def paired_ratio(table: dict[str, Any], a: str, b: str) -> float | None:
    """Median over rounds of time(a) / time(b), or None if either is missing."""
    rows = {r["contender"]: r for r in table["rows"]}
    if a not in rows or b not in rows:
        return None
    return statistics.median(
        x / y for x, y in zip(rows[a]["times_s"], rows[b]["times_s"], strict=True)
    )


# --------------------------------------------------------------------------- benchmarks


def one_to_all(
    k: int, shuffle: bool, names: list[str], rounds: int, meta: dict[str, Any]
) -> dict[str, Any]:
    order = "shuffled ids" if shuffle else "locality order"
    title = f"one-to-all, {k}x{k} grid, {order}"
    print(f"\n{title}: building graphs", flush=True)
    g = grid(k, shuffle)
    n = g.shape[0]
    sources = [int(s) for s in np.random.default_rng(3).integers(0, n, rounds)]
    reference = scipy_dijkstra(g, indices=sources[0])
    contenders = []
    build_s: dict[str, float] = {}
    for name in names:
        t = time.perf_counter()
        run, to_array, note = BUILDERS[name](g)
        build_s[name] = time.perf_counter() - t
        c = Contender(name, run, note)
        c.matches_scipy = bool(np.allclose(to_array(run(sources[0]), sources[0]), reference))
        if not c.matches_scipy:
            print(f"  WARNING: {name} disagrees with scipy on source {sources[0]}", flush=True)
        contenders.append(c)
    interleaved(contenders, sources, log=title)
    table = {
        "id": f"one_to_all_{k}_{'shuffled' if shuffle else 'locality'}",
        "title": title,
        "k": k,
        "n": n,
        "arcs": int(g.nnz),
        "shuffled": shuffle,
        "rounds": rounds,
        "sources": sources,
        "build_s": build_s,
        "rows": summarize(contenders),
        "meta": short_meta(meta),
    }
    print_table(table)
    return table


def growth(ks: list[int], rounds: int, meta: dict[str, Any]) -> dict[str, Any]:
    points = []
    for k in ks:
        g = grid(k, False)
        n = g.shape[0]
        sources = [int(s) for s in np.random.default_rng(3).integers(0, n, rounds)]
        contenders = [Contender(name, BUILDERS[name](g)[0]) for name in (SCIPY, CORRIDOR)]
        interleaved(contenders, sources)
        rows = {r["contender"]: r for r in summarize(contenders)}
        points.append(
            {
                "k": k,
                "n": n,
                "scipy_s": rows[SCIPY]["median_s"],
                "corridor_s": rows[CORRIDOR]["median_s"],
                "ratio_median": rows[CORRIDOR]["ratio_median"],
                "ratio_min": rows[CORRIDOR]["ratio_min"],
            }
        )
        p = points[-1]
        print(
            f"  growth n={n:>9,}: corridor {p['corridor_s'] * 1e3:9.2f} ms, "
            f"scipy {p['scipy_s'] * 1e3:9.2f} ms, ratio {p['ratio_median']:.2f}",
            flush=True,
        )
    return {
        "title": "cost growth, one-to-all, locality order",
        "rounds": rounds,
        "points": points,
        "meta": short_meta(meta),
    }


def many_sources(k: int, n_src: int, rounds: int, meta: dict[str, Any]) -> dict[str, Any]:
    title = f"{n_src} sources at once, {k}x{k} grid, locality order"
    print(f"\n{title}", flush=True)
    g = grid(k, False)
    n = g.shape[0]
    rng = np.random.default_rng(3)
    source_sets = [rng.choice(n, n_src, replace=False).astype(np.int64) for _ in range(rounds)]
    threads = numba.get_num_threads()
    multi = min(2, numba.config.NUMBA_NUM_THREADS)

    def corridor_with(t: int) -> Run:
        def run(s: Any) -> Any:
            numba.set_num_threads(t)
            try:
                return csgraph.dijkstra(g, indices=s)
            finally:
                numba.set_num_threads(threads)

        return run

    contenders = [
        Contender(SCIPY, lambda s: scipy_dijkstra(g, indices=s), "single-threaded"),
        Contender(f"corridor, {multi} threads", corridor_with(multi), "numba.set_num_threads"),
        Contender("corridor, 1 thread", corridor_with(1), "numba.set_num_threads(1)"),
    ]
    reference = scipy_dijkstra(g, indices=source_sets[0])
    for c in contenders:
        c.matches_scipy = bool(np.allclose(c.run(source_sets[0]), reference))
    interleaved(contenders, source_sets, log=title)
    table = {
        "id": f"many_to_all_{k}_{n_src}",
        "title": title,
        "k": k,
        "n": n,
        "n_sources": n_src,
        "threads": multi,
        "rounds": rounds,
        "rows": summarize(contenders),
        "meta": short_meta(meta),
    }
    print_table(table)
    return table


# --------------------------------------------------------------------------- metadata


def _git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def collect_meta(rounds: int, quick: bool) -> dict[str, Any]:
    """Date, machine, versions and the corridor commit (with a hash of uncommitted src edits)."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    tree = hashlib.sha256()
    for f in sorted((ROOT / "src" / "corridor").glob("*.py")):
        tree.update(f.name.encode() + b"\0" + f.read_bytes())
    diff = _git("diff", "HEAD", "--", "src")
    dirty = bool(diff)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": commit,
        "src_dirty": dirty,
        "src_diff_sha256": hashlib.sha256(diff.encode()).hexdigest()[:12] if dirty else "",
        "src_tree_sha256": tree.hexdigest()[:12],
        "rounds": rounds,
        "quick": quick,
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
    }


def commit_text(meta: dict[str, Any]) -> str:
    if not meta["src_dirty"]:
        return meta["commit"]
    return f"{meta['commit']} + uncommitted src changes (diff sha256 {meta['src_diff_sha256']})"


def short_meta(meta: dict[str, Any]) -> dict[str, Any]:
    keys = ("date", "platform", "cpu", "cpu_count", "commit", "src_dirty", "src_diff_sha256")
    keys += ("src_tree_sha256",)
    return {k: meta[k] for k in keys}


def meta_line(meta: dict[str, Any]) -> str:
    return (
        f"_{meta['date']}, {meta['platform']}, {meta['cpu']} ({meta['cpu_count']} CPUs), "
        f"corridor {commit_text(meta)}._"
    )


# --------------------------------------------------------------------------- output


def ratio_table(rows: list[dict[str, Any]], same: str, note: str) -> list[str]:
    """Markdown lines of contenders against scipy: median, median and min ratio, whether
    the result equals scipy's (column ``same``) and a ``note``."""
    md = [
        f"| contender | median | median ratio to scipy | min ratio to scipy | {same} | {note} |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        ok = {True: "yes", False: "**no**", None: ""}[r["matches_scipy"]]
        md.append(
            f"| {r['contender']} | {fmt_s(r['median_s'])} | {r['ratio_median']:.2f}x | "
            f"{r['ratio_min']:.2f}x | {ok} | {r['note']} |"
        )
    return md


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} us"


def print_table(table: dict[str, Any]) -> None:
    print(f"{'contender':<30} {'median':>10} {'ratio med':>10} {'ratio min':>10}  ok")
    for r in table["rows"]:
        ok = {True: "yes", False: "WRONG", None: ""}[r["matches_scipy"]]
        print(
            f"{r['contender']:<30} {fmt_s(r['median_s']):>10} {r['ratio_median']:>9.2f}x "
            f"{r['ratio_min']:>9.2f}x  {ok}",
            flush=True,
        )


def evaluate_targets(tables: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []

    def add(
        key: str, text: str, measured: float | None, limit: float, strict: bool = False
    ) -> None:
        met = None if measured is None else (measured < limit if strict else measured <= limit)
        out.append(
            {
                "key": key,
                "target": text,
                "limit": limit,
                "strict": strict,
                "measured": measured,
                "met": met,
            }
        )
        shown = "not measured" if measured is None else f"{measured:.2f}x"
        mark = {True: "met", False: "NOT met", None: "not measured"}[met]
        rel = "<" if strict else "<="
        print(f"  {text:<72} {shown:>12}  (target {rel} {limit:.2f}x)  {mark}", flush=True)

    loc, shuf = tables.get("one_to_all_1000_locality"), tables.get("one_to_all_1000_shuffled")
    multi = tables.get("many_to_all_300_64")
    for key, table in (("locality", loc), ("shuffled", shuf)):
        text, limit = TARGETS[key]
        add(key, f"{text}, median ratio to scipy", _ratio(table, CORRIDOR), limit)
    for other in ("networkit", "scgraph"):
        r = None if shuf is None else paired_ratio(shuf, CORRIDOR, other)
        add(
            f"shuffled_vs_{other}",
            f"corridor one-to-all 1000x1000, shuffled ids, faster than {other} (ratio)",
            r,
            1.0,
            strict=True,
        )
    text, limit = TARGETS["multi"]
    name = None if multi is None else f"corridor, {multi['threads']} threads"
    add("multi", f"{text}, median ratio to scipy", _ratio(multi, name), limit)
    return out


def _ratio(table: dict[str, Any] | None, name: str | None) -> float | None:
    if table is None or name is None:
        return None
    for r in table["rows"]:
        if r["contender"] == name:
            return float(r["ratio_median"])
    return None


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**NOT met**", None: "not measured"}[met]


def write_markdown(path: Path, result: dict[str, Any]) -> None:
    meta = result["meta"]
    v = meta["versions"]
    md = [
        "# Grid benchmark",
        "",
        f"{meta['date']}; {meta['platform']}; {meta['cpu']}, {meta['cpu_count']} CPUs, "
        f"{meta['numba_threads']} Numba threads; Python {meta['python']}; corridor "
        f"{v['corridor']} at {commit_text(meta)}; sha256 of src/corridor/*.py "
        f"{meta['src_tree_sha256']}.",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ". Load average "
        f"(1, 5, 15 min) at start {meta['load_avg_start']}, at end {meta['load_avg_end']}.",
        "",
        f"`python benchmarks/bench_grid.py{' --quick' if meta['quick'] else ''}`. k x k "
        "4-neighbour grids, arcs both ways, weights uniform in [1, 10) (`bench_routing.grid`, "
        "seed 7); locality order = row-major ids, shuffled = a random permutation of the ids. "
        "Graph conversion is done once, outside the timing. Contenders are interleaved, round "
        "r starting at contender r mod N; in each round every contender makes one untimed "
        "warm-up call and one timed call on that round's source (sources from "
        "`default_rng(3)`). Ratios are per round, to scipy in the same round; "
        "*median ratio* and *min ratio* are over the rounds.",
        "",
        "## Targets",
        "",
        meta_line(meta),
        "",
        "| target | measured | limit | met |",
        "|---|---:|---:|---|",
    ]
    for t in result["targets"]:
        shown = "—" if t["measured"] is None else f"{t['measured']:.2f}x"
        rel = "<" if t["strict"] else "<="
        md.append(f"| {t['target']} | {shown} | {rel} {t['limit']:.2f}x | {_mark(t['met'])} |")
    for table in result["tables"]:
        md += ["", f"## {table['title']}", "", meta_line(meta), ""]
        extra = (
            f"{table['n']:,} nodes, {table['arcs']:,} arcs; "
            if "arcs" in table
            else f"{table['n']:,} nodes, {table['n_sources']} sources per call; "
        )
        md += [f"{extra}{table['rounds']} rounds.", ""]
        md += ratio_table(table["rows"], "distances = scipy", "call")
    gr = result["growth"]
    md += ["", f"## {gr['title']}", "", meta_line(meta), "", f"{gr['rounds']} rounds.", ""]
    md += [
        "| n | k | corridor | scipy | median ratio | min ratio |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for p in gr["points"]:
        md.append(
            f"| {p['n']:,} | {p['k']} | {fmt_s(p['corridor_s'])} | {fmt_s(p['scipy_s'])} | "
            f"{p['ratio_median']:.2f}x | {p['ratio_min']:.2f}x |"
        )
    if result.get("notes"):
        md += ["", "## Notes", ""] + [f"* {x}" for x in result["notes"]]
    path.write_text("\n".join(md) + "\n")


NOTES = [
    "scgraph (3.x) has point-to-point searches (`dijkstra`, `a_star`, bidirectional, "
    "contraction hierarchies, ...) and one one-to-all search, `get_shortest_path_tree`, "
    "which is what is timed. It always builds the predecessors as well, and returns both "
    "as Python lists (part of the time).",
    "rustworkx has no one-to-all Dijkstra over stored float weights: "
    "`digraph_dijkstra_shortest_path_lengths` takes `edge_cost_fn`, a Python callable "
    "(here `float`) called for every arc it relaxes. It returns a lazy Rust mapping.",
    "igraph returns a list of lists of Python floats; networkx a dict; networkit "
    "(`getDistances(asarray=True)`, included) and scipy/corridor numpy arrays.",
    "corridor's 64-source runs use `numba.set_num_threads` inside the timed call; "
    "scipy is single-threaded.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="5 rounds, no 10^6 growth point; prints only, unless --out is given",
    )
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 11, quick 5)")
    parser.add_argument(
        "--out", default=None, help="file stem in benchmarks/results/ (default: grid)"
    )
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 11)
    if not args.quick and rounds < 11:
        parser.error("a full run needs at least 11 rounds")
    stem = args.out or (None if args.quick else "grid")
    meta = collect_meta(rounds, args.quick)
    if meta["load_avg_start"][0] > 0.5:
        print(f"WARNING: machine busy, load average {meta['load_avg_start']}", flush=True)
    print(
        f"{meta['date']}, {meta['platform']}, {meta['cpu']} ({meta['cpu_count']} CPUs, "
        f"{meta['numba_threads']} Numba threads), corridor {commit_text(meta)}, {rounds} rounds",
        flush=True,
    )
    everyone = [n for n in BUILDERS if n != "networkx"]
    tables = []
    for k in (300, 1000):
        for shuffle in (False, True):
            names = everyone + (["networkx"] if k == 300 else [])
            tables.append(one_to_all(k, shuffle, names, rounds, meta))
    tables.append(many_sources(300, 64, rounds, meta))
    print("\ncost growth, one-to-all, locality order", flush=True)
    gr = growth([100, 316] if args.quick else [100, 316, 1000], rounds, meta)
    print("\ntargets", flush=True)
    targets = evaluate_targets({t["id"]: t for t in tables})
    meta["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    result = {
        "meta": meta,
        "targets": targets,
        "tables": tables,
        "growth": gr,
        "notes": NOTES,
    }
    if stem is None:
        print("\n--quick: nothing written (pass --out STEM to write results)", flush=True)
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    write_markdown(RESULTS / f"{stem}.md", result)
    print(f"\nwrote {RESULTS / (stem + '.md')} and {stem}.json", flush=True)


if __name__ == "__main__":
    main()
