"""Flow-assignment benchmarks: user equilibrium on the bundled network, and side by side with
AequilibraE on the same congested problem.

Run from the repository root after ``pip install -e '.[bench]'``::

    .venv/bin/python benchmarks/bench_flows.py            # full run (about two minutes)
    .venv/bin/python benchmarks/bench_flows.py --quick    # skips the 2,000-pair comparison

Targets (warm, median of repeated runs): ``assign(net, load_demand())`` (UE to relative gap
1e-4) <= 2 s; UE of a synthetic demand of 2,000 hub pairs on the full network (relative gap
1e-4, at most 500 iterations) <= 10 s.

The comparison with AequilibraE (no target) solves one problem both engines state
identically: the compiled graph, the mixed-cargo class of a demand (the bundled demand's
segment "" and the synthetic 2,000 pairs), and a BPR curve ``t0 (1 + 0.15 (v / c) ** 4)`` on
every arc that has a free-flow cost and carries flow all-or-nothing, with ``c`` half that
flow and ``t0`` the arc's free-flow cost; every other arc keeps its cost. corridor solves it
with ``flows._ue`` (one capacitated element per such arc), AequilibraE with its
``TrafficAssignment`` (``bfw`` and ``cfw``). Both are checked the same way afterwards: the
relative gap at the final flows (scipy Dijkstra), the Beckmann objective, and the flows.
Writes ``benchmarks/results/flows.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import platform
import statistics
import subprocess
import time
import warnings
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import corridor as cr
from corridor import flows
from corridor._compile import CompiledGraph, compiled

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
GAP = 1e-4
MAX_ITER = 500
N_PAIRS = 2000
SEED = 1
MEDIAN_TEU = 500.0  # synthetic volumes: lognormal, median 500 TEU a year, sigma 1
SIGMA = 1.0
ALPHA, BETA = 0.15, 4.0
CAP_SHARE = 0.5  # comparison capacity: half the arc's all-or-nothing flow
#: AequilibraE refuses free-flow times <= 0: zero-cost arcs get this many hours in both engines
EPS_HOURS = 1e-6
#: AequilibraE capacity of the uncapacitated arcs (their alpha is 0: a constant cost)
UNCAPACITATED = 1e12
ALGORITHMS = ("bfw", "cfw")


def runs(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time of ``fn`` after ``warmup`` untimed calls, and the last result."""
    out = None
    for _ in range(warmup):
        out = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# ---------------------------------------------------------------------------- demand


def synthetic_demand(net: cr.Network) -> tuple[flows.Demand, int]:
    """``N_PAIRS`` distinct (origin, destination) pairs of non-waypoint hubs with a route,
    drawn with ``default_rng(SEED)``; lognormal volumes. Also: how many pairs had no route."""
    nodes = net.nodes
    hubs = sorted(nodes.loc[nodes["kind"] != "waypoint", "id"])
    pairs = [(o, d) for o in hubs for d in hubs if o != d]
    rng = np.random.default_rng(seed=SEED)
    chosen: list[tuple[str, str]] = []
    no_route = 0
    for i in rng.permutation(len(pairs)):
        o, d = pairs[i]
        try:
            cr.route(net, o, d)
        except cr.NoRouteError:
            no_route += 1
            continue
        chosen.append((o, d))
        if len(chosen) == N_PAIRS:
            break
    teu = rng.lognormal(np.log(MEDIAN_TEU), SIGMA, len(chosen))
    table = pd.DataFrame({
        "origin": [o for o, _ in chosen], "destination": [d for _, d in chosen],
        "teu_per_year": teu,
    })  # fmt: skip
    return flows.Demand.read(table, net), no_route


# -------------------------------------------------------------------- the comparison


@dataclasses.dataclass
class Problem:
    """A congested single-class problem both engines solve: BPR on ``arcs``."""

    name: str
    g: CompiledGraph
    cls: Any  # flows._Class, its c0 the free-flow costs t0 (zero-cost arcs at EPS_HOURS)
    arcs: NDArray[np.int64]
    cap: NDArray[np.float64]
    elements: Any  # flows._Elements

    @property
    def t0(self) -> NDArray[np.float64]:
        out: NDArray[np.float64] = self.cls.c0
        return out


def _graph(g: CompiledGraph, w: NDArray[np.float64]) -> csr_matrix:
    n = g.n_nodes
    a = csr_matrix((w, (g.tail, g.indices)), shape=(n, n))
    if a.nnz != g.indices.size:
        raise RuntimeError("parallel or zero-weight arcs: the scipy reference needs neither")
    return a


def _pair_rows(cls: Any) -> NDArray[np.int64]:
    out: NDArray[np.int64] = np.repeat(np.arange(cls.sources.size), np.diff(cls.first))
    return out


def aon_flows(g: CompiledGraph, cls: Any, w: NDArray[np.float64]) -> NDArray[np.float64]:
    """All-or-nothing arc flows at arc costs ``w`` (scipy Dijkstra, independent of
    corridor's kernels)."""
    dist, pred = dijkstra(_graph(g, w), indices=cls.sources, return_predecessors=True)
    arc_of = {(int(t), int(h)): i for i, (t, h) in enumerate(zip(g.tail, g.indices, strict=True))}
    x = np.zeros(g.indices.size)
    for k, s in enumerate(cls.sources):
        for j in range(cls.first[k], cls.first[k + 1]):
            v = int(cls.targets[j])
            if not np.isfinite(dist[k, v]):
                raise cr.NoRouteError(f"no route for {cls.pairs[j]}")
            while v != s:
                u = int(pred[k, v])
                x[arc_of[(u, v)]] += cls.volume[j]
                v = u
    return x


def build_problem(name: str, g: CompiledGraph, demand: flows.Demand) -> Problem:
    (cls,) = [c for c in flows._classes(g, demand, cr.CostModel()) if c.segment == ""]
    c0 = cls.c0
    if (c0 < 0).any():
        raise RuntimeError("negative free-flow costs")
    cls = dataclasses.replace(cls, c0=np.where(c0 > 0, c0, EPS_HOURS))
    x = aon_flows(g, cls, cls.c0)
    arcs = np.flatnonzero((c0 > 0) & (x > 0))
    cap = CAP_SHARE * x[arcs]
    n, m = arcs.size, g.indices.size
    elements = flows._Elements(
        kind=["arc"] * n, key=[str(a) for a in arcs], label=[f"arc {a}" for a in arcs],
        capacity=cap, background=np.zeros(n), scale_hours=cls.c0[arcs], source=[""] * n,
        hub=[""] * n, incidence=csr_matrix((np.ones(n), (np.arange(n), arcs)), shape=(n, m)),
        alpha=ALPHA, beta=BETA,
    )  # fmt: skip
    return Problem(name, g, cls, arcs, cap, elements)


def link_costs(p: Problem, x: NDArray[np.float64]) -> NDArray[np.float64]:
    t = p.t0.copy()
    t[p.arcs] += p.t0[p.arcs] * ALPHA * (x[p.arcs] / p.cap) ** BETA
    return t


def beckmann(p: Problem, x: NDArray[np.float64]) -> float:
    v = x[p.arcs]
    integral = p.t0[p.arcs] * ALPHA * p.cap / (BETA + 1) * (v / p.cap) ** (BETA + 1)
    return float(p.t0 @ x + integral.sum())


def relative_gap(p: Problem, x: NDArray[np.float64]) -> float:
    """(total cost - total shortest-path cost) / total cost, at the costs of ``x``."""
    t = link_costs(p, x)
    dist = dijkstra(_graph(p.g, t), indices=p.cls.sources)
    shortest = float(p.cls.volume @ dist[_pair_rows(p.cls), p.cls.targets])
    current = float(t @ x)
    return (current - shortest) / current


def imbalance(p: Problem, x: NDArray[np.float64]) -> float:
    """Largest flow created or lost at a node that is neither a source nor a sink."""
    g = p.g
    net = np.bincount(g.indices, weights=x, minlength=g.n_nodes)
    net -= np.bincount(g.tail, weights=x, minlength=g.n_nodes)
    return float(np.abs(net[: g.n_states]).max())


def corridor_solve(p: Problem) -> tuple[NDArray[np.float64], int, float, bool]:
    res = flows._ue(p.g, p.elements, [p.cls], MAX_ITER, GAP, conjugate=True)
    gaps, _, ok = res[-3:]  # (state, [paths,] gaps, objective, converged)
    return np.asarray(res[0].x[0], dtype=float), len(gaps), float(gaps[-1]), bool(ok)


def aequilibrae_setup(p: Problem, all_centroids: bool = True) -> tuple[Any, Any]:
    """AequilibraE's Graph and demand matrix of the problem (node id = corridor's + 1);
    ``all_centroids=False``: only the source and sink nodes with demand are centroids."""
    os.environ.setdefault("AEQ_SHOW_PROGRESS", "FALSE")
    logging.getLogger("aequilibrae").setLevel(logging.CRITICAL)
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph

    g, cls, m = p.g, p.cls, p.g.indices.size
    capacity = np.full(m, UNCAPACITATED)
    capacity[p.arcs] = p.cap
    alpha = np.zeros(m)
    alpha[p.arcs] = ALPHA
    links = pd.DataFrame({
        "link_id": np.arange(1, m + 1), "a_node": g.tail.astype(np.int64) + 1,
        "b_node": g.indices.astype(np.int64) + 1, "direction": 1, "free_flow_time": p.t0,
        "capacity": capacity, "alpha": alpha, "beta": BETA,
    })  # fmt: skip
    # Every source and sink node is a centroid, not only those with demand: AequilibraE 1.7.2
    # contracts a non-centroid sink with two one-way links in (which no path can cross) into
    # a two-way link, a free shortcut between the two states (fixed upstream in
    # AequilibraE/aequilibrae#846). Centroids are never contracted.
    centroids = np.arange(g.n_states, g.n_nodes, dtype=np.int64)
    if not all_centroids:
        centroids = np.union1d(cls.sources, cls.targets).astype(np.int64)
    od = np.zeros((centroids.size, centroids.size))
    origin = np.searchsorted(centroids, cls.sources[_pair_rows(cls)])
    np.add.at(od, (origin, np.searchsorted(centroids, cls.targets)), cls.volume)
    centroids += 1
    graph = Graph()
    graph.network = links
    graph.prepare_graph(centroids)
    graph.set_graph("free_flow_time")
    graph.set_skimming([])
    graph.set_blocked_centroid_flows(True)
    mat = AequilibraeMatrix()
    mat.create_empty(zones=centroids.size, matrix_names=["teu"], memory_only=True)
    mat.index[:] = centroids
    mat.matrix["teu"][:, :] = od
    mat.computational_view(["teu"])
    return graph, mat


def aequilibrae_solve(
    p: Problem, graph: Any, mat: Any, algorithm: str
) -> tuple[float, NDArray[np.float64], int, float, bool, int]:
    """Solve time (``execute`` alone), arc flows, iterations, AequilibraE's final rgap,
    whether it converged, and how many iterations fell back to a plain Frank–Wolfe step."""
    from aequilibrae.paths import TrafficAssignment, TrafficClass

    ta = TrafficAssignment()
    ta.set_classes([TrafficClass("teu", graph, mat)])
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "alpha", "beta": "beta"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm(algorithm)
    ta.max_iter = MAX_ITER
    ta.rgap_target = GAP
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        t = time.perf_counter()
        ta.execute(log_specification=False)
        elapsed = time.perf_counter() - t
    res = ta.results()
    x = np.zeros(p.g.indices.size)
    x[res.index.to_numpy() - 1] = res["teu_ab"].to_numpy()
    report = ta.report()
    rgap = float(report["rgap"].iloc[-1]) if len(report) else float("nan")
    notes = report["warnings"] if "warnings" in report else pd.Series([], dtype=str)
    fallbacks = int(notes.astype(str).str.contains("falling back to FW", case=False).sum())
    return elapsed, x, len(report), rgap, rgap <= GAP, fallbacks


def contraction_check(p: Problem) -> tuple[int, float, float, float]:
    """AequilibraE's all-or-nothing loading at free flow with only the nodes of the demand as
    centroids: how many centroids, its cost, the true shortest-path cost, the imbalance."""
    graph, mat = aequilibrae_setup(p, all_centroids=False)
    x = aequilibrae_solve(p, graph, mat, "all-or-nothing")[1]
    true = float(p.t0 @ aon_flows(p.g, p.cls, p.t0))
    return int(graph.num_zones), float(p.t0 @ x), true, imbalance(p, x)


def compare(p: Problem, repeat: int) -> list[str]:
    """Solve ``p`` with both engines; the Markdown section of the comparison."""
    print(f"comparison: {p.name} ...", flush=True)
    t_cor, (x_cor, it_cor, gap_cor, ok_cor) = runs(lambda: corridor_solve(p), repeat)
    t = time.perf_counter()
    graph, mat = aequilibrae_setup(p)
    t_setup = time.perf_counter() - t
    rows = [("corridor", "`flows._ue`", t_cor, x_cor, it_cor, gap_cor, ok_cor)]
    fallbacks = []
    for algo in ALGORITHMS:
        if repeat > 1:
            aequilibrae_solve(p, graph, mat, algo)  # warm-up
        results = [aequilibrae_solve(p, graph, mat, algo) for _ in range(repeat)]
        _, x, it, gap, ok, fell = results[-1]
        rows.append(("AequilibraE", algo, statistics.median(r[0] for r in results), x, it, gap, ok))
        fallbacks.append(f"`{algo}` {fell} of {it}")
    z_cor = beckmann(p, x_cor)
    scale = float(x_cor.max())
    cls = p.cls
    lines = [
        f"### {p.name}",
        "",
        f"{p.g.n_nodes:,} nodes, {p.g.indices.size:,} arcs, {p.arcs.size:,} of them capacitated "
        f"(BPR, alpha {ALPHA}, beta {BETA:g}, capacity {CAP_SHARE} x all-or-nothing flow); "
        f"{cls.volume.size:,} OD pairs from {cls.sources.size} origins, "
        f"{cls.volume.sum():,.0f} TEU a week; relative gap {GAP:g}, at most {MAX_ITER} "
        f"iterations; {'median of ' + str(repeat) + ' warm runs' if repeat > 1 else 'one warm run'}"
        f" each. AequilibraE graph and matrix set-up (not in the times): {t_setup:.2f} s.",
        "",
        "| engine | algorithm | solve time | iterations | per iteration | converged | "
        "reported gap | gap at final flows | Beckmann objective | objective vs corridor | "
        "max \\|Δflow\\| / max flow, all arcs | same, capacitated arcs | node imbalance (TEU) |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, algo, sec, x, it, gap, ok in rows:
        z = beckmann(p, x)
        diff = np.abs(x - x_cor)
        lines.append(
            f"| {engine} | {algo} | {sec:.2f} s | {it} | {sec / it * 1e3:.1f} ms | "
            f"{'yes' if ok else 'no'} | {gap:.2e} | {relative_gap(p, x):.2e} | {z:,.1f} | "
            f"{(z - z_cor) / z_cor:+.2e} | {diff.max() / scale:.2e} | "
            f"{diff[p.arcs].max() / scale:.2e} | {imbalance(p, x):.1e} |"
        )
    lines += [
        "",
        'AequilibraE iterations whose conjugate direction "yielded no improvement" and fell '
        f"back to a plain Frank–Wolfe step (its convergence report): {', '.join(fallbacks)}.",
    ]
    print("\n".join(lines[-len(rows) - 2 :]), flush=True)
    return [*lines, ""]


# ------------------------------------------------------------------------------ main


def _git() -> str:
    def run(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip()

    head = run("rev-parse", "--short", "HEAD") or "unknown"
    dirty = run("status", "--porcelain", "--", "src/corridor/flows.py")
    return f"commit {head}" + (" (src/corridor/flows.py not committed)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 2,000-pair comparison")
    args = parser.parse_args()

    net = cr.load_network()
    bundled = cr.load_demand()

    print("assign(net, load_demand()) ...", flush=True)
    t_small, a_small = runs(lambda: cr.assign(net, bundled, gap=GAP), repeat=5)
    print("synthetic demand ...", flush=True)
    synthetic, no_route = synthetic_demand(net)
    print(f"assign(net, {N_PAIRS:,} pairs) ...", flush=True)
    t_big, a_big = runs(lambda: cr.assign(net, synthetic, gap=GAP, max_iter=MAX_ITER), repeat=3)

    rows = [
        (f"`assign(net, load_demand())`, UE ({len(bundled)} OD rows, "
         f"{bundled.table['segment'].nunique()} segments)", t_small, a_small, 2.0),
        (f"UE of {len(synthetic):,} synthetic OD pairs, full network "
         f"(`max_iter={MAX_ITER}`)", t_big, a_big, 10.0),
    ]  # fmt: skip
    g = compiled(net, cr.CostModel(), None)
    doc = (flows._ue.__doc__ or "").lower()
    method = "bi-conjugate" if "bi-conjugate" in doc else "conjugate"
    lines = [
        "# Flows benchmark",
        "",
        f"{date.today()}, {platform.processor() or platform.machine()}, {os.cpu_count()} "
        f"CPUs, Python {platform.python_version()}, NumPy {np.__version__}, SciPy "
        f"{version('scipy')}, Numba {version('numba')}, AequilibraE {version('aequilibrae')}; "
        f"corridor {_git()}, UE by {method} Frank–Wolfe (`flows._ue`). Warm runs, median "
        "(`python benchmarks/bench_flows.py`).",
        "",
        "## Targets",
        "",
        "| what | measured | iterations | final relative gap | per iteration | target | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, sec, a, target in rows:
        lines.append(
            f"| {name} | {sec:.2f} s | {a.iterations} | {a.gaps[-1]:.2e}"
            f"{'' if a.converged else ' (not converged)'} | {sec / a.iterations * 1e3:.1f} ms | "
            f"≤ {target:.0f} s | {'yes' if sec <= target and a.converged else 'NO'} |"
        )
    lines += [
        "",
        f"Synthetic demand: {len(synthetic):,} distinct ordered pairs of the "
        f"{int((net.nodes['kind'] != 'waypoint').sum())} hubs that are not waypoints, drawn "
        f"with `numpy.random.default_rng(seed={SEED})` ({no_route} drawn pairs without a route "
        f"skipped), volumes lognormal with median {MEDIAN_TEU:.0f} TEU a year and sigma "
        f"{SIGMA:g} ({synthetic.total_teu_per_year:,.0f} TEU a year in all), mixed cargo, the "
        "bundled capacities. Median of 5 (bundled) and 3 (synthetic) runs; per iteration = "
        "time / iterations.",
        "",
        "## Side by side with AequilibraE",
        "",
        "The same problem in both engines: the compiled graph, the mixed-cargo class (its free-"
        "flow arc costs `c0`, hours-equivalent), BPR `t0 (1 + alpha (v / c) ** beta)` with "
        "`t0 = c0` on every arc with `c0 > 0` that carries flow all-or-nothing, `c` half that "
        "flow (so they congest); every other arc at constant cost `c0`. AequilibraE rejects "
        f"free-flow times of 0, so zero-cost arcs cost {EPS_HOURS:g} h in both engines. corridor: "
        "`flows._ue` with one capacitated element per BPR arc (background 0, queue scale "
        "`c0`), exactly the same curve. AequilibraE: `TrafficAssignment` with `bfw` and `cfw`, "
        "its graph built from a links table (node ids + 1), every source and sink node a "
        "centroid. Times are the solve alone (`_ue` / `execute()`), both engines warm.",
        "",
        "*Reported gap* is each engine's own last relative gap. corridor's is measured at the "
        "flows it returns when it converges (else at the flows before its last step); "
        "AequilibraE's compares its last all-or-nothing loading, made at the costs "
        "of the previous flows, with the new flows at those costs. *Gap at final flows* "
        "recomputes both the same way: (total cost - total shortest-path cost) / total cost at "
        "the costs of the final flows, shortest paths by scipy's Dijkstra. Flow differences are "
        "against corridor's flows, relative to its largest arc flow; flows on uncapacitated "
        "arcs need not be unique at equilibrium (ties), flows on BPR arcs are. *Node imbalance* "
        "is the largest flow created or lost at a node that is neither a source nor a sink "
        "(a check on the flows read back).",
        "",
    ]
    small = flows.Demand(bundled.table[bundled.table["segment"] == ""].reset_index(drop=True))
    small_problem = build_problem(f"Bundled demand, segment '' ({len(small)} OD rows)", g, small)
    lines += compare(small_problem, 3)
    if not args.quick:
        big = build_problem(f"Synthetic demand ({len(synthetic):,} OD pairs)", g, synthetic)
        lines += compare(big, 1)
    zones, bad_cost, true_cost, bad_imbalance = contraction_check(small_problem)
    lines += [
        "## Notes",
        "",
        "* AequilibraE 1.7.2 contracts chains of links into single links. A node that is not a "
        "centroid and has exactly two one-way links in (a corridor sink, the virtual node a "
        "query to a hub ends at) makes a chain no path can traverse; 1.7.2 marks it direction "
        "-999 but keeps it, and its directed graph then holds that chain both ways: a free "
        "shortcut between two states. With only the demand's own source and sink nodes as "
        f"centroids ({zones}), AequilibraE's all-or-nothing loading of the bundled problem at "
        f"free flow costs {bad_cost:,.0f} against {true_cost:,.0f} for the true shortest paths, "
        f"and creates or loses up to {bad_imbalance:,.1f} TEU a week at states. Fixed upstream "
        "(AequilibraE/aequilibrae#846 drops such chains); worked around here by making every "
        "source and sink node a centroid (centroids are never contracted).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "flows.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
