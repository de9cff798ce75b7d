"""Trade-off benchmarks: Pareto fronts and k-shortest routes on the bundled network.

Run: ``.venv/bin/python benchmarks/bench_tradeoffs.py``. Targets (after warm-up): each Pareto
front <= 50 ms; k_shortest with k=10 <= 20 ms; networkx ``shortest_simple_paths`` on the same
state-expanded graph side by side. Writes ``benchmarks/results/tradeoffs.md``.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import _timing
import networkx as nx

import corridor as cr
from corridor._compile import compiled
from corridor.costs import CostModel

REPEAT = 7
timeit = functools.partial(_timing.timeit, repeat=REPEAT)
RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    net = cr.load_network()
    rows = []

    def add(name: str, sec: float, target: float | None, note: str = "") -> None:
        ok = None if target is None else sec <= target
        rows.append(
            (name, sec * 1e3, "" if target is None else f"<= {target * 1e3:.0f} ms", ok, note)
        )
        mark = "" if ok is None else ("  ok" if ok else "  MISSED")
        print(f"{name:<62} {sec * 1e3:9.2f} ms  {note}{mark}")

    for dest, crit in (("Duisburg", ("usd", "hours")), ("Singapore", ("usd", "hours", "co2"))):
        t = timeit(lambda d=dest, c=crit: cr.pareto(net, "Guiyang", d, criteria=c))
        n = len(cr.pareto(net, "Guiyang", dest, criteria=crit))
        add(f"pareto Guiyang->{dest} ({', '.join(crit)})", t, 0.050, f"{n} routes on the front")
    t = timeit(lambda: cr.k_shortest(net, "Guiyang", "Duisburg", 10, by="generalized"))
    add("k_shortest Guiyang->Duisburg, k=10 (physically distinct)", t, 0.020)
    g = compiled(net, CostModel(), None)
    w = g.weights("generalized")
    src, dst = g.source(g.hub_index["guiyang"]), g.sink(g.hub_index["duisburg"])
    dg = nx.DiGraph()
    for e in range(g.indices.size):
        u, v = int(g.tail[e]), int(g.indices[e])
        if not dg.has_edge(u, v) or dg[u][v]["weight"] > w[e]:
            dg.add_edge(u, v, weight=float(w[e]))
    t_nx = timeit(
        lambda: list(itertools.islice(nx.shortest_simple_paths(dg, src, dst, weight="weight"), 10)),
        repeat=3,
    )
    from corridor.tradeoffs import k_shortest_paths

    t_ours = timeit(lambda: k_shortest_paths(g.indptr, g.indices, w, src, dst, 10))
    add("networkx shortest_simple_paths, same state graph, k=10", t_nx, None)
    add(
        "corridor k_shortest_paths, same state graph, k=10",
        t_ours,
        None,
        f"{t_nx / t_ours:.1f}x faster than networkx",
    )
    t = timeit(lambda: cr.alternatives(net, "Guiyang", "Duisburg", n=3))
    add("alternatives Guiyang->Duisburg, n=3, max_overlap=0.5", t, None)
    front = cr.pareto(net, "Guiyang", "Duisburg", criteria=("usd", "hours"))
    lines = ["| benchmark | median | target | met | note |", "|---|---:|---|---|---|"]
    for name, ms, target, ok, note in rows:
        lines.append(
            f"| {name} | {ms:,.2f} ms | {target} | {'' if ok is None else ('yes' if ok else '**no**')} | {note} |"
        )
    lines += [
        "",
        "Guiyang → Duisburg, Pareto front over (usd, hours):",
        "",
        "| # | USD | days | path |",
        "|---:|---:|---:|---|",
    ]
    for i, r in enumerate(front, 1):
        lines.append(f"| {i} | {r.total_usd:,.0f} | {r.total_days:.1f} | {r.path} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "tradeoffs.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / 'tradeoffs.md'}")


if __name__ == "__main__":
    main()
