"""Reliability and market-share benchmarks on the bundled network.

Run: ``.venv/bin/python benchmarks/bench_reliability.py``. Targets (after warm-up):
``transit_time`` with 10,000 samples on Guiyang → Duisburg <= 20 ms; ``compare(...,
reliability=True)`` for one pair <= 200 ms; ``market_shares`` for all segments <= 100 ms.
Writes ``benchmarks/results/reliability.md``.
"""

from __future__ import annotations

import functools
import platform
from datetime import date
from pathlib import Path

import _timing
import numba
import numpy as np

import corridor as cr
from corridor.reliability import sample_route

REPEAT = 15
timeit = functools.partial(_timing.timeit, repeat=REPEAT)
RESULTS = Path(__file__).resolve().parent / "results"
PAIRS = [("Guiyang", "Duisburg"), ("Guiyang", "Singapore"), ("Guiyang", "Vientiane")]


def main() -> None:
    net = cr.load_network()
    rows: list[tuple[str, float, float]] = []
    rows.append(
        (
            "transit_time(Guiyang → Duisburg), 10,000 samples",
            timeit(lambda: cr.transit_time(net, "Guiyang", "Duisburg", seed=1)),
            20e-3,
        )
    )
    sea = cr.corridor_routes(net, "Guiyang", "Duisburg")["sea_suez"].route
    assert sea is not None
    rows.append(
        (
            "sampling alone: sea route Guiyang → Duisburg, 10,000 draws",
            timeit(lambda: sample_route(sea, 10_000, 1)),
            20e-3,
        )
    )
    for o, d in PAIRS:
        rows.append(
            (
                f"compare({o} → {d}, reliability=True)",
                timeit(lambda o=o, d=d: cr.compare(net, o, d, reliability=True)),
                0.2,
            )
        )  # type: ignore[misc]
    for o, d in PAIRS:
        rows.append(
            (
                f"market_shares({o} → {d}), all 9 segments",
                timeit(lambda o=o, d=d: cr.market_shares(net, o, d)),
                0.1,
            )
        )  # type: ignore[misc]
    lines = [
        "# Reliability benchmark",
        "",
        f"{date.today()}, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, NumPy {np.__version__}, Numba {numba.__version__}; "
        f"median of {REPEAT} warm runs (`python benchmarks/bench_reliability.py`).",
        "",
        "| what | measured | target | met |",
        "|---|---:|---:|---|",
    ]
    for name, sec, target in rows:
        lines.append(
            f"| {name} | {sec * 1e3:.1f} ms | ≤ {target * 1e3:.0f} ms | "
            f"{'yes' if sec <= target else 'NO'} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reliability.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
