"""Start-up: what a user waits for before the first answer.

Each figure is the median of fresh processes (the OS file cache warm, the Numba cache on
disk warm after ``corridor warmup``):

- ``import corridor`` against ``import geopandas, numba`` (what it cannot avoid);
- ``corridor --help``;
- a warm ``corridor route Guiyang Duisburg`` (Numba cache on disk).

Run: ``.venv/bin/python benchmarks/bench_startup.py`` (writes ``results/startup.md``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
CLI = [sys.executable, "-m", "corridor"]


def median_seconds(cmd: list[str], runs: int = RUNS) -> float:
    """Median wall time of ``cmd`` in fresh processes, after one untimed run."""
    subprocess.run(cmd, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    subprocess.run([*CLI, "warmup"], check=True, capture_output=True)
    py = [sys.executable, "-c"]
    base = median_seconds([*py, "import geopandas, numba"])
    imp = median_seconds([*py, "import corridor"])
    api = median_seconds(
        [*py, "import corridor; corridor.route, corridor.compare, corridor.load_network"]
    )
    lazy = "import sys, corridor; print('scipy.sparse' in sys.modules, 'networkx' in sys.modules)"
    loaded = subprocess.run([*py, lazy], check=True, capture_output=True, text=True).stdout
    helptext = median_seconds([*CLI, "--help"])
    route = median_seconds([*CLI, "route", "Guiyang", "Duisburg"])
    lines = [
        "| what | seconds (median of 7 fresh processes) |",
        "|---|---|",
        f"| `import geopandas, numba` | {base:.2f} |",
        f"| `import corridor` | {imp:.2f} (every public name is imported when first used) |",
        f"| `import corridor` and its routing API (`route`, `compare`, `load_network`: geopandas "
        f"and numba come with them) | {api:.2f} ({api - base:+.2f} over `import geopandas, numba`) |",
        f"| scipy.sparse, networkx loaded by `import corridor` | {loaded.strip()} |",
        f"| `corridor --help` | {helptext:.2f} |",
        f"| warm `corridor route Guiyang Duisburg` | {route:.2f} |",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(__file__).with_name("results") / "startup.md"
    out.write_text(
        "# Start-up\n\nCommand: `.venv/bin/python benchmarks/bench_startup.py`\n\n" + text + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
