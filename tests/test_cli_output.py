"""Terminal output of the command line (issue 13): tables that read at 80 columns in a real
terminal, ``--wide``, piped output, figures rounded alike in text and JSON, the format taken
from the output file's name, the scenarios table keeping the corridors a scenario closes,
``--version``, modes in any case, hub coordinates to 4 decimals, ``warmup``.

The 80-column checks run ``python -m corridor`` in a pseudo-terminal (the ``pty`` module);
the JSON they are checked against comes from the same command run in process.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

import corridor as cr
from corridor import cli
from corridor.cli import app
from corridor.sensitivity import PARAMETERS

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
GENERALIZED = "generalized cost (USD + value of time + carbon)"
VALUE_OF_TIME = f"USD {cr.CostModel().value_of_time_usd_per_hour:.2f} per TEU-hour"


def in_pty(*args: str, columns: int = 80, timeout: float = 120.0) -> str:
    """Run ``python -m corridor ARGS`` with its stdout in a pseudo-terminal ``columns``
    wide (COLUMNS set too); return what it printed, colours stripped."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"}
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "corridor", *args],
            stdin=slave,
            stdout=slave,
            stderr=errors,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.5)
                if ready:
                    try:
                        data = os.read(master, 65536)
                    except OSError:  # EIO: the child closed the terminal
                        break
                    if not data:
                        break
                    chunks.append(data)
                elif proc.poll() is not None:
                    break
        finally:
            os.close(master)
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    text = b"".join(chunks).decode("utf-8")
    return ANSI.sub("", text).replace("\r\n", "\n")


def invoke(*args: str | Path) -> Any:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def as_json(*args: str) -> Any:
    return json.loads(invoke(*args, "-f", "json").stdout)


# --------------------------------------------------------------- figures in text and JSON


def shown(key: str, value: Any) -> str:
    """How a figure of the JSON output reads in a table (JSON holds it rounded already)."""
    if key == "win_share":
        return f"{value * 100:.1f}%"
    if isinstance(value, int):
        text = f"{value:+,}" if key.startswith("d_") and value else f"{value:,}"
        return text
    decimals = next(
        (d for part, d in (("share", 3), ("days", 1), ("hours", 1), ("lon", 4), ("lat", 4))
         if part in key),
        len(repr(value).partition(".")[2]),
    )  # fmt: skip
    sign = "+" if key.startswith("d_") and value else ""
    return f"{value:{sign},.{decimals}f}"


def intact(figure: str, line: str) -> bool:
    """Whether ``figure`` is in ``line`` whole: no digit, point or comma either side."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d.,%])", line) is not None


def table_of(text: str) -> tuple[list[str], list[str]]:
    """The header labels of the (first) table in ``text``, and the lines under its rule."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
    return lines[rule - 1].split(), lines[rule + 1 :]


#: table header -> JSON key, where they differ
KEYS = {
    "gen_cost": "generalized",
    "d_gen_cost": "d_generalized",
    "wins": "win_share",
    "borders": "border_crossings",
    "baseline": "baseline_generalized",
    "p10": "generalized_p10",
    "p50": "generalized_p50",
    "p90": "generalized_p90",
    "usd_base": "baseline_usd",
    "days_base": "baseline_days",
}


def check_rows(header: list[str], rows: dict[str, str], records: dict[str, dict[str, Any]]) -> int:
    """Every figure of each record, in every column the table shows, intact in its row's
    line; returns how many were checked."""
    checked = 0
    for ident, line in rows.items():
        record = records[ident]
        for label in header[1:]:
            key = KEYS.get(label, label)
            value = record.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            figure = shown(key, value)
            assert intact(figure, line), (ident, label, figure, line)
            checked += 1
    return checked


def rows_by_id(lines: list[str], ids: set[str]) -> dict[str, str]:
    """Table lines that start with one of ``ids`` (folded lines start with blanks)."""
    found = {}
    for line in lines:
        first = line.split(" ", 1)[0]
        if first in ids and first not in found:
            found[first] = line
    return found


def assert_fits(text: str, columns: int = 80) -> None:
    too_long = [line for line in text.splitlines() if cell_len(line) > columns]
    assert not too_long, too_long
    assert not [line for line in text.splitlines() if line.endswith(" ")]


# ----------------------------------------------------------------------- 80 columns, pty


def test_compare_at_80_columns() -> None:
    args = ("compare", "Chongqing", "Singapore")
    text = in_pty(*args)
    assert_fits(text)
    assert GENERALIZED in " ".join(text.split())
    assert VALUE_OF_TIME in " ".join(text.split())
    header, lines = table_of(text)
    assert header[:3] == ["corridor", "usd", "days"]
    allowed = {"corridor", "usd", "days", "wait_days", "km", "co2_kg", "gen_cost", "transfers"}
    assert set(header) <= allowed | {"borders"}
    records = {r["corridor"]: r for r in as_json(*args)}
    served = {k for k, r in records.items() if r["status"] == "ok"}
    rows = rows_by_id(lines, set(records))
    assert set(rows) == served  # every served corridor's id whole, at the start of its line
    assert check_rows(header, rows, records) >= 5 * len(served)
    body = " ".join(text.split())
    for k in set(records) - served:  # the others listed under the table, ids whole
        assert re.search(rf"(?<![\w]){k}(?![\w])", body), k
    assert "does not serve SGP" in body
    assert "--wide shows every column" in body


def test_emissions_at_80_columns() -> None:
    """`corridor emissions`: every corridor's WTW and TTW, then the element tables of the
    best rail and the best sea corridor, each figure as in the JSON."""
    args = ("emissions", "Guiyang", "Duisburg")
    text = in_pty(*args)
    assert_fits(text)
    doc = as_json(*args)
    # trucks timed by their trip (not amortised rests) make the truck to Qinzhou and the
    # all-sea route the best sea corridor from Guiyang
    assert set(doc["elements"]) == {"china_europe_alashankou", "sea_suez"}
    body = " ".join(text.split())
    for c in doc["corridors"]:
        assert f"{c['wtw_kg']:,.1f}" in body, c
        assert f"{c['ttw_kg']:,.1f}" in body, c
    for k, elements in doc["elements"].items():
        assert f"{k}:" in text
        assert math.isclose(
            sum(e["wtw_kg"] for e in elements),
            next(c["wtw_kg"] for c in doc["corridors"] if c["corridor"] == k),
            abs_tol=0.05 * len(elements),
        )
        for e in elements:
            assert f"{e['wtw_kg']:,.1f}" in body
    assert "rail (electric)" in text
    assert "ship Asia-EU" in text
    assert "Ember 2023" in body
    assert "DESNZ 2026" in body


def test_route_at_80_columns() -> None:
    args = ("route", "Chongqing", "Singapore")
    text = in_pty(*args)
    assert_fits(text)
    doc = as_json(*args)
    flat = " ".join(text.split())
    for key, unit in (
        ("total_usd", "USD {}"),
        ("total_days", "{} days"),
        ("total_hours", "{} h"),
        ("wait_hours", "{} h of them waiting"),
        ("total_km", "{} km"),
        ("total_co2_kg", "{} kg CO2"),
        ("total_generalized", "gen_cost {}"),
    ):
        assert unit.format(shown(key, doc[key])) in flat, key
    assert doc["value_of_time_usd_per_hour"] == pytest.approx(29.52, abs=0.01)
    header, lines = table_of(text)
    assert header[0] == "leg"
    legs = {str(i): leg for i, leg in enumerate(doc["legs"], start=1)}
    rows = rows_by_id(lines, set(legs))
    assert set(rows) == set(legs)
    assert check_rows(header, rows, legs) >= 4 * len(legs)


def test_scenarios_at_80_columns_keep_the_closed_corridor() -> None:
    args = ("scenarios", "Guiyang", "Duisburg", "-s", "suez_closed")
    text = in_pty(*args)
    assert_fits(text)
    header, lines = table_of(text)
    assert "lines" not in header
    records = {(r["scenario"], r["corridor"]): r for r in as_json(*args)}
    group, checked = "", 0
    for line in lines:
        first = line.split(" ", 1)[0]
        if line.strip() in {s for s, _ in records}:
            group = line.strip()
        elif group and (group, first) in records and not line.startswith(" "):
            record = records[(group, first)]
            if group == "baseline":  # no change against itself: left blank
                record = {k: v for k, v in record.items() if not k.startswith("d_")}
            one = {first: record}
            checked += check_rows(header, {first: line}, one)
            if group == "Suez Canal closed" and first == "sea_suez":
                suez = line
    assert checked > 20
    assert "no route" in suez
    body = " ".join(text.split())
    reason = records[("Suez Canal closed", "sea_suez")]["reason"]
    assert reason
    assert reason in body
    assert GENERALIZED in body


def test_sensitivity_at_80_columns_shows_the_baseline() -> None:
    args = ("sensitivity", "Guiyang", "Singapore", "--samples", "300", "--seed", "3")
    text = in_pty(*args)
    assert_fits(text)
    header, lines = table_of(text)
    assert header[:6] == ["corridor", "wins", "baseline", "p10", "p50", "p90"]
    records = {r["corridor"]: r for r in as_json(*args)}
    rows = rows_by_id(lines, set(records))
    assert "land_sea" in rows
    assert check_rows(header, rows, records) >= 5 * len(rows) - 1  # 'best' has no wins
    compared = cr.compare(cr.load_network(), "Guiyang", "Singapore")
    for k, row in rows.items():  # the baseline is the cost model's own figure
        figure = round(float(compared["generalized"][k]))
        assert records[k]["baseline_generalized"] == figure
        assert intact(f"{figure:,}", row)
    assert "baseline" in text
    assert VALUE_OF_TIME in " ".join(text.split())


def test_wide_shows_every_column() -> None:
    args = ("compare", "Chongqing", "Singapore")
    text = in_pty(*args, "--wide")
    assert max(cell_len(line) for line in text.splitlines()) > 80
    assert "not shown" not in text
    header, lines = table_of(text)
    records = {r["corridor"]: r for r in as_json(*args)}
    wanted = {k for k, v in records["best"].items() if k != "corridor"}
    assert {KEYS.get(h, h) for h in header[1:]} == wanted
    rows = rows_by_id(lines, set(records))
    assert set(rows) == set(records)
    assert check_rows(header, rows, records) > 14 * 6


# ------------------------------------------------------------------------- piped output


def test_piped_output_has_no_padding() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "corridor", "compare", "Chongqing", "Singapore"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    assert "\x1b" not in done.stdout
    header, _ = table_of(done.stdout)
    assert {"name", "route", "borders", "wait_days"} <= set(header)  # nothing left out
    assert "not shown" not in done.stdout


def test_json_and_csv_figures_rounded() -> None:
    text = invoke("compare", "Guiyang", "Duisburg", "-f", "json").stdout
    assert not re.search(r"\d\.\d{4,}", text)  # no 11602.600000000002
    rows = json.loads(text)
    for r in rows:
        if r["status"] == "ok":
            assert isinstance(r["usd"], int)
            assert isinstance(r["km"], int)
            assert isinstance(r["transfers"], int)
            assert isinstance(r["border_crossings"], int)
            assert r["days"] == round(r["days"], 1)
    csv = invoke("scenarios", "Guiyang", "Duisburg", "-s", "suez_closed", "-f", "csv").stdout
    assert not re.search(r"\d\.\d{4,}", csv)
    doc = json.loads(invoke("route", "Guiyang", "Singapore", "-f", "json").stdout)
    assert isinstance(doc["total_usd"], int)
    assert doc["total_hours"] == round(doc["total_hours"], 1)
    assert all(isinstance(leg["usd"], int) for leg in doc["legs"])


# ------------------------------------------------------------------ format from the file


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".csv", lambda p: pd.read_csv(p).columns[0] == "corridor"),
        (".json", lambda p: json.loads(p.read_text(encoding="utf-8"))[0]["corridor"] == "best"),
        (".geojson", lambda p: json.loads(p.read_text(encoding="utf-8"))["features"]),
        (".parquet", lambda p: "usd" in pd.read_parquet(p).columns),
        (".txt", lambda p: "gen_cost" in p.read_text(encoding="utf-8")),
    ],
)
def test_format_from_the_extension(suffix: str, check: Any, tmp_path: Path) -> None:
    target = tmp_path / f"out{suffix}"
    result = invoke("compare", "Guiyang", "Shenzhen", "-o", target)
    assert result.stdout == ""
    assert check(target)


def one_error(result: Any, *named: str) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines: list[str] = [line for line in str(result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    for word in named:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def test_format_contradicting_the_extension(tmp_path: Path) -> None:
    for fmt, name in (("csv", "x.json"), ("table", "x.csv"), ("json", "x.geojson")):
        result = runner.invoke(app, ["hubs", "-f", fmt, "-o", str(tmp_path / name)])
        one_error(result, f"--format {fmt}", "contradicts", name)
        assert not (tmp_path / name).exists()
    # GeoJSON is JSON: a .json file may hold it; a name that implies nothing takes --format
    invoke("hubs", "-f", "geojson", "-o", tmp_path / "h.json")
    assert json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))["features"]
    invoke("hubs", "-f", "csv", "-o", tmp_path / "h.txt")
    assert (tmp_path / "h.txt").read_text(encoding="utf-8").startswith("id,")
    one_error(runner.invoke(app, ["hubs", "-f", "parquet"]), "--output")
    one_error(
        runner.invoke(
            app, ["sensitivity", "Guiyang", "Shenzhen", "-o", str(tmp_path / "s.geojson")]
        ),
        "s.geojson",
        "GeoJSON",
    )


def test_parquet_without_pyarrow_says_what_to_install_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    loaded: list[int] = []
    monkeypatch.setattr(cli, "load_network", lambda *a, **k: loaded.append(1))
    for args in (
        ["compare", "Guiyang", "Shenzhen", "-o", str(tmp_path / "c.parquet")],
        ["scenarios", "Guiyang", "Shenzhen", "-f", "parquet", "-o", str(tmp_path / "s.parquet")],
        ["sweep", "--scenarios", "presets", "--pairs", "all", "-o", str(tmp_path / "w.parquet")],
    ):
        one_error(runner.invoke(app, args), "pyarrow", "corridor[dask]")
    assert not loaded
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------------ scenarios table


def test_scenarios_keep_rows_without_a_route_and_lines_only_when_wide() -> None:
    args = ["scenarios", "Guiyang", "Duisburg", "-s", "suez_closed"]
    text = invoke(*args).stdout  # piped: every column
    header, lines = table_of(text)
    assert "lines" not in header
    assert "note" in header
    at = lines.index("Suez Canal closed")
    suez = next(line for line in lines[at:] if line.startswith("sea_suez "))
    assert "no route: no link or service open for the gateway" in suez
    baseline = lines[lines.index("baseline") : at]
    assert any(line.startswith("china_laos ") and "not served" in line for line in baseline)
    assert len(lines) < 40  # rows the same as the baseline's are not repeated
    wide = invoke(*args, "--wide").stdout
    header, lines = table_of(wide)
    assert "lines" in header
    assert len(lines) > 2 * 14  # every row of both


# -------------------------------------------------------------------------- small things


def test_version() -> None:
    result = invoke("--version")
    assert result.stdout.strip() == f"corridor {cr.__version__}"


def test_help_lists_and_definitions() -> None:
    result = runner.invoke(app, ["route", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<list[str]>" not in result.stdout
    assert "repeatable or comma-separated" in result.stdout
    assert GENERALIZED in result.stdout
    assert VALUE_OF_TIME[4:] in result.stdout
    result = runner.invoke(app, ["sensitivity", "--help"], env={"COLUMNS": "200"})
    assert all(key in result.stdout for key in PARAMETERS)


def test_modes_in_any_case() -> None:
    lower = as_json("route", "Kunming", "Vientiane", "--modes", "rail,road")
    mixed = as_json("route", "Kunming", "Vientiane", "--modes", "RAIL,Road")
    assert mixed["hubs"] == lower["hubs"]
    assert {leg["mode"] for leg in mixed["legs"] if leg["kind"] == "link"} <= {"rail", "road"}
    lines = invoke("lines", "--mode", "Rail", "-f", "csv").stdout
    assert lines.count("\n") > 10
    assert ",rail," in lines


def test_hub_coordinates_to_4_decimals() -> None:
    text = invoke("hubs", "--country", "LAO").stdout
    header, lines = table_of(text)
    lon, lat = header.index("lon"), header.index("lat")
    for line in lines:
        cells = line.split()
        if len(cells) > lat and cells[0] in {"vientiane", "boten"}:
            assert re.fullmatch(r"-?\d+\.\d{4}", cells[lon - len(header)])
            assert re.fullmatch(r"-?\d+\.\d{4}", cells[lat - len(header)])
    rows = as_json("hubs", "--country", "LAO")
    assert all(r["lon"] == round(r["lon"], 4) and r["lat"] == round(r["lat"], 4) for r in rows)


def test_warmup_runs_every_kernel_path() -> None:
    result = invoke("warmup")
    lines = result.stdout.strip().splitlines()
    for step in ("route", "route_matrix", "k_shortest", "pareto", "sensitivity", "sweep"):
        assert any(line.startswith(f"{step} ") for line in lines), step
    assert any(line.startswith("csgraph.dijkstra") for line in lines)
    assert re.match(r"warm: \d+ steps in \d+\.\d s", lines[-1])
    assert all(re.search(r"\d+\.\d\d s", line) for line in lines[:-1])


def test_compare_with_reliability_at_80_columns() -> None:
    args = ("compare", "Guiyang", "Duisburg", "--reliability")
    text = in_pty(*args)
    assert_fits(text)
    header, lines = table_of(text)
    assert {"p90", "on_time", "days", "usd"} <= set(header)
    records = {r["corridor"]: r for r in as_json(*args)}
    rows = rows_by_id(lines, set(records))
    for ident, line in rows.items():  # the p90 and on-time figures intact in their rows
        r = records[ident]
        assert f"{r['p90_days']:.1f}" in line.split(), (ident, line)
        assert f"{r['on_time_share']:.3f}" in line.split(), (ident, line)


def test_shares_at_80_columns() -> None:
    text = in_pty("shares", "Guiyang", "Duisburg")
    assert_fits(text)
    header, lines = table_of(text)
    assert header[:2] == ["corridor", "all"]
    assert len(header) == 11
    doc = as_json("shares", "Guiyang", "Duisburg")
    rows = rows_by_id(lines, {r["corridor"] for r in doc})
    assert len(rows) == len(doc)
    for r in doc:
        assert rows[r["corridor"]].split()[1] == str(round(r["total"] * 100)), r


def test_assign_at_80_columns() -> None:
    from corridor.io import bundled_data_path

    text = in_pty("assign", str(bundled_data_path("demand_guizhou.csv")), "--no-map")
    assert_fits(text)
    header, _ = table_of(text)
    assert header == ["corridor", "teu_per_year", "share"]
    flat = " ".join(text.split())
    assert "most utilised elements" in flat
    assert "converged" in flat
    for label in ("utilisation", "flow_per_week", "capacity", "delay_hours"):
        assert label in flat
