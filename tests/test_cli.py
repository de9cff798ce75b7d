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


# ------------------------------------------------ every command and format, in process


import pytest  # noqa: E402

from corridor.cli import main  # noqa: E402


def cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run the ``corridor`` entry point in this process."""
    monkeypatch.setattr("sys.argv", ["corridor", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


COMMANDS = {
    "route": ["route", "Guiyang", "Singapore"],
    "compare": ["compare", "Guiyang", "Duisburg"],
    "emissions": ["emissions", "Guiyang", "Duisburg"],
    "scenarios": [
        "scenarios",
        "Guiyang",
        "Duisburg",
        "-s",
        "suez_closed",
        "-s",
        "mohan_at_opening",
    ],
    "sensitivity": ["sensitivity", "Guiyang", "Singapore", "--samples", "200", "--seed", "1"],
    "hubs": ["hubs", "--country", "LAO,THA"],
    "lines": ["lines", "--mode", "rail"],
    "services": ["services", "--mode", "rail", "--hub", "Kunming"],
    "pareto": ["pareto", "Guiyang", "Duisburg", "--criteria", "usd,hours,co2", "--max-routes", "4"],
    "alternatives": ["alternatives", "Guiyang", "Singapore", "-n", "2", "--max-overlap", "0.6"],
}
GEOJSON_OK = {"route", "compare", "hubs", "lines", "pareto", "alternatives"}


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "geojson"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_and_format(
    command: str, fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli([*COMMANDS[command], "--format", fmt], capsys, monkeypatch)
    if fmt == "geojson" and command not in GEOJSON_OK:
        assert code == 1
        assert (
            err.strip()
            == "error: --format geojson is not available for this command; use table, json or csv"
        )
        return
    assert code == 0, err
    if fmt == "json":
        doc = json.loads(out)
        assert doc
    elif fmt == "geojson":
        doc = json.loads(out)
        assert doc["type"] == "FeatureCollection"
        assert doc["features"]
    elif fmt == "csv":
        lines = out.strip().splitlines()
        assert len(lines) >= 2
        assert "," in lines[0]
    else:
        assert "─" in out  # the rule under the header of a compact table


def test_outputs_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in ("table", "json", "csv", "geojson"):
        target = tmp_path / f"compare.{fmt}"
        code, out, err = cli(
            ["compare", "Guiyang", "Singapore", "-f", fmt, "-o", str(target)], capsys, monkeypatch
        )
        assert code == 0, err
        assert out == ""
        assert f"wrote {target}" in err
        assert target.stat().st_size > 100
    route_json = tmp_path / "route.json"
    code, _, _ = cli(
        ["route", "Kunming", "Vientiane", "--modes", "rail", "-f", "json", "-o", str(route_json)],
        capsys,
        monkeypatch,
    )
    assert code == 0
    doc = json.loads(route_json.read_text(encoding="utf-8"))
    assert doc["hubs"] == ["kunming", "mohan", "boten", "vientiane"]
    # every figure rounded to USD 1: the legs' sum within half a dollar a leg of the total
    assert sum(leg["usd"] for leg in doc["legs"]) == pytest.approx(
        doc["total_usd"], abs=0.5 * len(doc["legs"])
    )


def test_route_options(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = cli(
        [
            "route",
            "Guiyang",
            "Duisburg",
            "--by",
            "hours",
            "--modes",
            "rail",
            "--via",
            "Horgos",
            "--avoid",
            "Manzhouli",
            "--scenario",
            "suez_closed",
            "-f",
            "csv",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert "khorgos" in out
    assert "manzhouli" not in out


def test_route_depart_and_services(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = cli(
        [
            "route",
            "Kunming",
            "Vientiane South",
            "--modes",
            "rail",
            "--depart",
            "2026-12-01T08:00",
            "-f",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["departure"] == "2026-12-01T08:00:00"
    assert doc["arrival"] > doc["departure"]
    assert doc["services"]
    # hours rounded to 0.1: the legs' sum within 0.05 h a leg of the total
    assert sum(leg["wait_hours"] for leg in doc["legs"]) == pytest.approx(
        doc["wait_hours"], abs=0.05 * len(doc["legs"])
    )
    code, out, err = cli(
        ["route", "Kunming", "Vientiane South", "--depart", "2026-12-01T08:00"], capsys, monkeypatch
    )
    assert code == 0, err
    assert "leaves Tue 2026-12-01 08:00, arrives" in out
    code, out, err = cli(["services", "-f", "csv"], capsys, monkeypatch)
    assert code == 0, err
    rows = out.strip().splitlines()
    assert rows[0].startswith("id,name,mode,stops,per_week")
    assert len(rows) - 1 == len(__import__("corridor").load_network().services)


def test_scenarios_list_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = cli(["scenarios", "--list"], capsys, monkeypatch)
    assert code == 0
    assert "suez_closed" in out
    path = tmp_path / "mine.json"
    path.write_text(json.dumps([{"name": "Boten shut", "close": ["Boten"]}]), encoding="utf-8")
    code, out, err = cli(
        ["scenarios", "Guiyang", "Bangkok", "-s", str(path), "-f", "csv"], capsys, monkeypatch
    )
    assert code == 0, err
    assert "Boten shut" in out
    code, out, err = cli(
        ["route", "Guiyang", "Bangkok", "--scenario", str(path), "-f", "csv"], capsys, monkeypatch
    )
    assert code == 0, err
    assert "boten" not in out


def test_report_writes_a_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "map.png"
    code, out, err = cli(["report", "--map", str(target)], capsys, monkeypatch)
    assert code == 0, err
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for d in ("Singapore", "Duisburg", "Shenzhen"):
        assert f"Guiyang → {d}" in out or f"→ {d}" in out
    assert "China–Europe Railway Express" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["route", "Guiyang", "Singapur"],
            1,
            "error: no hub named 'Singapur'; did you mean 'Singapore'",
        ),
        (
            ["compare", "Gyiyang", "Duisburg"],
            1,
            "error: no hub named 'Gyiyang'; did you mean 'Guiyang'",
        ),
        (
            ["route", "Guiyang", "Duisburg", "--scenario", "volcano"],
            1,
            "error: no scenario preset or file 'volcano'; presets: suez_closed",
        ),
        (
            ["route", "Guiyang", "Duisburg", "--modes", "air"],
            1,
            "error: no route from 'guiyang' to 'duisburg': the mode filter (only air) cuts them apart",
        ),
        (
            ["compare", "Guiyang", "Duisburg", "--corridors", "silk"],
            1,
            "error: unknown corridor 'silk'",
        ),
        (
            ["sensitivity", "Guiyang", "Duisburg", "--vary", "tariff.rail=1"],
            1,
            "error: --vary 'tariff.rail=1': expected KEY=LOW:HIGH",
        ),
        (
            ["sensitivity", "Guiyang", "Duisburg", "--vary", "speed=1:2"],
            1,
            "error: vary: unknown parameter 'speed'",
        ),
        (["scenarios", "Guiyang"], 1, "error: scenarios needs ORIGIN and DESTINATION (or --list)"),
        (["hubs", "--country", "ATL"], 1, "error: no hub matches the filters"),
        (["lines", "--mode", "teleport"], 1, "error: no line matches the filters"),
        (["services", "--mode", "teleport"], 1, "error: no service matches the filters"),
        (["services", "--hub", "Atlantis"], 1, "error: no hub named 'Atlantis'"),
        (["route", "Guiyang", "Duisburg", "--depart", "soon"], 1, "depart must be a date-time"),
        (
            ["route", "Guiyang", "Duisburg", "--depart", "2026-12-01", "--by", "usd"],
            1,
            "a timetable search minimises arrival time",
        ),
        (["route", "Guiyang", "Duisburg", "--by", "speed"], 2, "Invalid value for '--by'"),
        (["report", "--to", "Atlantis"], 1, "error: no hub named 'Atlantis'"),
    ],
)
def test_error_paths(
    args: list[str],
    code: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    got, _out, err = cli(args, capsys, monkeypatch)
    assert got == code
    assert message in err
    assert "Traceback" not in err
    if code == 1:
        assert len(err.strip().splitlines()) == 1


def test_real_entry_point_compare() -> None:
    done = run("compare", "Guiyang", "Shenzhen", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("best,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cargo-t", "-3"], "error: --cargo-t must be the tonnes of cargo in a TEU, above 0"),
        (["--cargo-t", "nan"], "error: --cargo-t must be the tonnes of cargo in a TEU, above 0"),
        (["--cargo-t", "31"], "error: --cargo-t must be the tonnes of cargo in a TEU, above 0"),
        (["--corridors", "nope"], "error: --corridors: unknown corridor 'nope'; one of"),
        (["--corridors", "air"], "error: --corridors: air does not serve"),
    ],
)
def test_emissions_bad_options(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = cli(["emissions", "Guiyang", "Singapore", *args], capsys, monkeypatch)
    assert code == 1
    assert err.startswith(message), err
    assert not out


def test_emissions_cargo_mass_scales_trains_not_ships(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = []
    for t in ("10", "20"):
        code, out, err = cli(
            ["emissions", "Guiyang", "Singapore", "--cargo-t", t, "-f", "json"], capsys, monkeypatch
        )
        assert code == 0, err
        docs.append(json.loads(out))
    a, b = (d["elements"]["land_sea"] for d in docs)
    for x, y in zip(a, b, strict=True):
        if x["vehicle"].startswith("ship"):
            assert x["wtw_kg"] == y["wtw_kg"]
        elif x["kind"] == "leg":
            assert y["wtw_kg"] == pytest.approx(2 * x["wtw_kg"], abs=0.11)
