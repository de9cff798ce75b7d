"""Print a Markdown "Performance" section for the README from the benchmark results.

Reads ``benchmarks/results/grid.json`` (written by ``bench_grid.py``) and, when present, the
other ``benchmarks/results/*.md`` files, and prints the section to stdout. It never touches
README.md: paste or integrate the output by hand::

    .venv/bin/python benchmarks/render_readme.py > /tmp/performance.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CORRIDOR = "corridor.csgraph.dijkstra"
OTHERS = ("networkit", "scgraph", "rustworkx", "igraph", "networkx")
YES = {"yes", "met", "ok"}
NO = {"no", "not met", "missed"}


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f} ms" if seconds >= 0.1 else f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def _rows(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["contender"]: r for r in table["rows"]}


def _target(result: dict[str, Any], key: str) -> str:
    for t in result.get("targets", []):
        if t["key"] == key:
            rel = "<" if t.get("strict") else "≤"
            mark = {True: "met", False: "**not met**", None: "not measured"}[t["met"]]
            return f"{rel} {t['limit']:.2f}x: {mark}"
    return ""


def grid_section(result: dict[str, Any]) -> list[str]:
    meta = result["meta"]
    tables = {t["id"]: t for t in result["tables"]}
    rounds = meta["rounds"]
    out = [
        "One-to-all Dijkstra on k×k 4-neighbour grids (arcs both ways, weights uniform in "
        "[1, 10)), `corridor.csgraph.dijkstra` against `scipy.sparse.csgraph.dijkstra` with "
        f"the same arguments. Median of {rounds} interleaved rounds; the ratio is corridor's "
        "time over scipy's in the same round, median over the rounds (lower is better).",
        "",
        "| benchmark | corridor | scipy | ratio | target |",
        "|---|---:|---:|---:|---|",
    ]
    targets = {
        "one_to_all_1000_locality": "locality",
        "one_to_all_1000_shuffled": "shuffled",
    }
    for tid in (
        "one_to_all_1000_locality",
        "one_to_all_1000_shuffled",
        "one_to_all_300_locality",
        "one_to_all_300_shuffled",
    ):
        if tid not in tables:
            continue
        t = tables[tid]
        rows = _rows(t)
        if CORRIDOR not in rows:
            continue
        order = "shuffled ids" if t["shuffled"] else "locality order"
        target = _target(result, targets[tid]) if tid in targets else ""
        out.append(
            f"| {t['k']}×{t['k']} grid, {order} | {fmt_s(rows[CORRIDOR]['median_s'])} | "
            f"{fmt_s(rows['scipy']['median_s'])} | {rows[CORRIDOR]['ratio_median']:.2f}x | "
            f"{target} |"
        )
    multi = next((t for t in result["tables"] if t["id"].startswith("many_to_all")), None)
    if multi is not None:
        rows = _rows(multi)
        name = f"corridor, {multi['threads']} threads"
        if name in rows:
            out.append(
                f"| {multi['n_sources']} sources at once, {multi['k']}×{multi['k']} grid, "
                f"{multi['threads']} threads | {fmt_s(rows[name]['median_s'])} | "
                f"{fmt_s(rows['scipy']['median_s'])} | {rows[name]['ratio_median']:.2f}x | "
                f"{_target(result, 'multi')} |"
            )
    shuffled = tables.get("one_to_all_1000_shuffled")
    if shuffled is not None:
        rows = _rows(shuffled)
        others = [
            f"{name} {fmt_s(rows[name]['median_s'])} ({rows[name]['ratio_median']:.2f}x)"
            for name in OTHERS
            if name in rows
        ]
        if others:
            out += [
                "",
                "Other libraries, 1000×1000 grid, shuffled ids, median time (ratio to scipy): "
                + ", ".join(others)
                + ".",
            ]
    growth = result.get("growth", {}).get("points", [])
    if growth:
        out += [
            "",
            "Cost growth, locality order: "
            + ", ".join(
                f"n = {p['n']:,}: {fmt_s(p['corridor_s'])} (scipy {fmt_s(p['scipy_s'])})"
                for p in growth
            )
            + ".",
        ]
    commit = meta["commit"] + (" with uncommitted changes" if meta.get("src_dirty") else "")
    out += [
        "",
        f"_Measured {meta['date']} on {meta['cpu']} ({meta['cpu_count']} CPUs, "
        f"{meta['platform']}), Python {meta['python']}, corridor {commit}; "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if k != "corridor")
        + ". Full tables: `benchmarks/results/grid.md` "
        "(`python benchmarks/bench_grid.py`)._",
    ]
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def targets_in(text: str) -> tuple[int, int, list[str]]:
    """Count rows met / with a verdict in every Markdown table that has a 'met' column."""
    met = total = 0
    missed: list[str] = []
    col = None
    for line in text.splitlines():
        if not line.lstrip().startswith("|"):
            col = None
            continue
        cells = _cells(line)
        if col is None:
            lowered = [c.lower() for c in cells]
            col = lowered.index("met") if "met" in lowered else -1
            continue
        if col < 0 or col >= len(cells) or set(cells[col]) <= set("-: "):
            continue
        verdict = cells[col].strip("*").strip().lower()
        if verdict in YES:
            met += 1
            total += 1
        elif verdict in NO:
            total += 1
            missed.append(cells[0].strip("`*"))
    return met, total, missed


def others_section(results: Path) -> list[str]:
    rows = []
    for path in sorted(results.glob("*.md")):
        if path.stem == "grid":
            continue
        text = path.read_text(encoding="utf-8")
        met, total, missed = targets_in(text)
        if not total:
            continue
        date = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", text)
        shown = f"{met} of {total}"
        if missed:
            shown += " (missed: " + "; ".join(missed) + ")"
        rows.append(f"| `{path.name}` | {shown} | {date.group(1) if date else ''} |")
    if not rows:
        return []
    return [
        "",
        "Other benchmarks (`benchmarks/results/`), targets met:",
        "",
        "| results | targets met | measured |",
        "|---|---|---|",
        *rows,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="results directory")
    parser.add_argument("--heading", default="## Performance", help="section heading")
    args = parser.parse_args()
    path = args.results / "grid.json"
    if not path.exists():
        sys.exit(f"{path} not found: run benchmarks/bench_grid.py first")
    result = json.loads(path.read_text(encoding="utf-8"))
    lines = [args.heading, "", *grid_section(result), *others_section(args.results)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
