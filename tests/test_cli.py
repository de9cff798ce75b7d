"""The command line, run through its real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corridor", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_validate_bundled_folder() -> None:
    done = run("validate", ROOT / "data")
    assert done.returncode == 0, done.stderr
    assert "99 hubs" not in done.stderr
    assert "ok: no problems found" in done.stdout


def test_validate_files(tiny: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path) -> None:
    n, e = tmp_path / "n.geojson", tmp_path / "e.geojson"
    n.write_text(json.dumps(tiny[0]))
    e.write_text(json.dumps(tiny[1]))
    done = run("validate", e, n)  # order does not matter: roles come from content
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 hubs" in done.stdout
    assert "2 links" in done.stdout


def test_validate_reports_every_problem(
    tiny: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    tiny[1]["features"][0]["properties"]["length_km"] = -1
    tiny[1]["features"][1]["properties"]["mode"] = "hyperloop"
    n, e = tmp_path / "n.geojson", tmp_path / "e.geojson"
    n.write_text(json.dumps(tiny[0]))
    e.write_text(json.dumps(tiny[1]))
    done = run("validate", n, e)
    assert done.returncode == 1
    assert "feature 'ab': field 'length_km': must be > 0" in done.stdout
    assert "feature 'ac': field 'mode': unknown value 'hyperloop'" in done.stdout
    assert "2 problems found" in done.stderr


def test_validate_edges_alone_uses_bundled_hubs(tmp_path: Path) -> None:
    edges = json.loads((ROOT / "data" / "edges.geojson").read_text(encoding="utf-8"))
    edges["features"] = edges["features"][:3]
    path = tmp_path / "e.geojson"
    path.write_text(json.dumps(edges))
    done = run("validate", path)
    assert done.returncode == 0, done.stdout
    assert "bundled hubs" in done.stdout


def test_validate_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "junk.geojson").write_text("not json")
    done = run("validate", tmp_path / "missing.geojson", tmp_path / "junk.geojson", tmp_path)
    assert done.returncode == 1
    assert "missing.geojson: file not found" in done.stdout
    assert "junk.geojson: not GeoJSON" in done.stdout
    assert "folder has no nodes.geojson" in done.stdout
    assert "Traceback" not in done.stderr


def test_summary_prints_tables() -> None:
    done = run("summary")
    assert done.returncode == 0, done.stderr
    assert "Links by mode" in done.stdout
    assert "china_laos" in done.stdout


def test_summary_bad_file_is_one_clear_line(tmp_path: Path) -> None:
    done = run("summary", "--nodes", tmp_path / "none.geojson")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[0].endswith("none.geojson: file not found")
    assert "Traceback" not in done.stderr


def test_unknown_command() -> None:
    done = run("bogus")
    assert done.returncode == 2
    assert "No such command" in done.stderr
