"""Time loading and validating the bundled network: cold process and in-process repeats."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import corridor as cr
from corridor.io import _read_and_build, bundled_data_path


def main() -> None:
    nodes, edges = bundled_data_path("nodes.geojson"), bundled_data_path("edges.geojson")
    runs = []
    for _ in range(20):
        t = time.perf_counter()
        _read_and_build(nodes, edges)
        runs.append(time.perf_counter() - t)
    code = (
        "import time, corridor as cr; t = time.perf_counter(); cr.load_network(); "
        "print(time.perf_counter() - t)"
    )
    cold = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(5)
    ]
    net = cr.load_network()
    print(f"bundled network: {len(net.nodes)} hubs, {len(net.edges)} links")
    print(f"read + validate + build (warm, median of 20): {statistics.median(runs) * 1000:.1f} ms")
    print(
        f"load_network() in a fresh process (median of 5): {statistics.median(cold) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
