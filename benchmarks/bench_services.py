"""Service benchmarks: routing with frequencies, the timetable search, compare to eleven
destinations, on the bundled network.

Run: ``.venv/bin/python benchmarks/bench_services.py``. Targets (after warm-up):
``route()`` with frequency-based waits <= 1 ms; ``route(depart=...)`` <= 5 ms; ``compare``
from one origin to all eleven destinations of the corridor table <= 1 s. Writes
``benchmarks/results/services.md``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import _timing

import corridor as cr

REPEAT = 25
timeit = functools.partial(_timing.timeit, repeat=REPEAT)
RESULTS = Path(__file__).resolve().parent / "results"
DESTINATIONS = [
    "Singapore", "Bangkok", "Vientiane", "Hanoi", "Jakarta", "Duisburg", "Hamburg", "Moscow",
    "Shenzhen", "Nansha", "Hong Kong",
]  # fmt: skip
PAIRS = [("Guiyang", "Duisburg"), ("Chongqing", "Singapore"), ("Kunming", "Bangkok")]


def main() -> None:
    net = cr.load_network()
    rows: list[tuple[str, float, float]] = []
    for o, d in PAIRS:
        rows.append(
            (
                f"route({o} → {d}), frequency-based waits",
                timeit(lambda o=o, d=d: cr.route(net, o, d)),
                1e-3,
            )
        )  # type: ignore[misc]
    when = "2026-12-01T08:00"
    for o, d in PAIRS:
        rows.append(
            (
                f"route({o} → {d}, depart={when})",
                timeit(lambda o=o, d=d, w=when: cr.route(net, o, d, depart=w)),
                5e-3,
            )
        )  # type: ignore[misc]
    for o in ("Guiyang", "Chongqing", "Kunming"):

        def all_eleven(o: str = o) -> None:
            for d in DESTINATIONS:
                cr.compare(net, o, d)

        rows.append((f"compare from {o} to all 11 destinations", timeit(all_eleven, repeat=5), 1.0))
    lines = [
        "# Services benchmark",
        "",
        f"{len(net.nodes)} hubs, {len(net.edges)} links, {len(net.services)} services; "
        "median of repeated warm runs (`python benchmarks/bench_services.py`).",
        "",
        "| what | measured | target | met |",
        "|---|---:|---:|---|",
    ]
    for name, sec, target in rows:
        fmt = (lambda x: f"{x * 1e3:.2f} ms") if target < 0.5 else (lambda x: f"{x:.2f} s")
        lines.append(
            f"| {name} | {fmt(sec)} | ≤ {fmt(target)} | {'yes' if sec <= target else 'NO'} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "services.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
