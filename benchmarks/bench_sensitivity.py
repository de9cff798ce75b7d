"""Sensitivity benchmark: 10,000 samples over one origin-destination pair.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py`` (target: under 10 s on 2 cores).
Writes ``benchmarks/results/sensitivity.md``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numba

import corridor as cr

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    net = cr.load_network()
    cr.sensitivity(net, "Guiyang", "Duisburg", samples=50, seed=0)  # compile / load the kernels
    lines = [
        "| pair | samples | corridors searched | median of 3 | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for dest in ("Duisburg", "Singapore", "Shenzhen"):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            res = cr.sensitivity(net, "Guiyang", dest, samples=10_000, seed=1, progress=False)
            times.append(time.perf_counter() - t)
        searched = int((res.summary["status"] == "ok").sum())
        med = statistics.median(times)
        print(
            f"Guiyang -> {dest}: 10,000 samples x {searched} corridors in {med:.2f} s "
            f"({med / (10_000 * searched) * 1e6:.1f} us per corridor-sample); winners: "
            + ", ".join(f"{k} {v:.0%}" for k, v in res.wins.items() if v > 0)
        )
        lines.append(
            f"| Guiyang → {dest} | 10,000 | {searched} | {med:.2f} s | < 10 s | {'yes' if med < 10 else '**no**'} |"
        )
    lines.append(f"\n{numba.get_num_threads()} threads, numba {numba.__version__}.\n")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sensitivity.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'sensitivity.md'}")


if __name__ == "__main__":
    main()
