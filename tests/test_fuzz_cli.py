"""Bad inputs and faults at the command line (issue 12): every one ends in exactly one line
``error: …`` on stderr naming what is wrong, exit code 1 (2 for usage errors), never a
traceback; nothing from data or the user is read as Rich markup; a legacy stdout encoding
does not crash the output.

In process through Typer's ``CliRunner``, and in real subprocesses where the process
matters (stream encodings, a scheduler that does not answer).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from corridor import cli
from corridor.cli import app

runner = CliRunner()


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


def one_error(result: Any, *named: str, code: int = 1) -> str:
    """Assert exit ``code`` and exactly one stderr line ``error: …`` naming each of
    ``named``; return that line."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: "), line
    assert "Traceback" not in result.output
    assert "unexpected" not in line, line
    for word in named:
        assert word in line, (word, line)
    return line


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "corridor", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=30,  # a scheduler that hangs the command fails the test, not the suite
        env={**os.environ, **(env or {})},
    )


def one_error_line(done: subprocess.CompletedProcess[str], *named: str) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines[0]
    for word in named:
        assert word in lines[0], (word, lines[0])
    return lines[0]


SWEEP = ["sweep", "--scenarios", "presets", "--pairs", "all"]

# ------------------------------------------------------------------------ output paths

WRITERS = {
    "route": ["route", "Guiyang", "Shenzhen", "-f", "csv", "-o"],
    "compare": ["compare", "Guiyang", "Shenzhen", "-o"],
    "hubs": ["hubs", "-o"],
    "sweep": ["sweep", "--scenarios", "presets", "--pairs", "all", "-o"],
    "map": ["map", "Guiyang", "Shenzhen", "-o"],
    "report": ["report", "--map"],
    "validate": ["validate", "--published", "-o"],
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_output_in_a_missing_folder_or_onto_a_directory(command: str, tmp_path: Path) -> None:
    suffix = {"sweep": ".csv", "map": ".png", "report": ".png"}.get(command, ".txt")
    option = WRITERS[command][-1]
    missing = tmp_path / "nowhere" / f"out{suffix}"
    result = invoke(*WRITERS[command], missing)
    one_error(result, option, str(missing), "does not exist")
    assert result.stdout == ""  # refused before any work, nothing printed
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    one_error(invoke(*WRITERS[command], folder), option, "is a directory")


def test_output_suffixes_checked_first(tmp_path: Path) -> None:
    one_error(invoke(*WRITERS["sweep"], tmp_path / "r.xlsx"), "--output", ".parquet or .csv")
    one_error(invoke(*WRITERS["map"], tmp_path / "m.txt"), "--output", ".png")
    one_error(invoke("report", "--map", tmp_path / "corridors"), "--map", ".png")


# ---------------------------------------------------------------------- input files


def test_scenario_and_pairs_files(tmp_path: Path) -> None:
    one_error(invoke("route", "Guiyang", "Shenzhen", "--scenario", tmp_path), "--scenario")
    one_error(
        invoke("route", "Guiyang", "Shenzhen", "-s", tmp_path / "none.json"),
        "--scenario",
        "none.json",
        "file not found",
    )
    one_error(invoke("scenarios", "Guiyang", "Shenzhen", "-s", tmp_path), "--scenario")
    one_error(invoke("sweep", "--scenarios", tmp_path, "--pairs", "all"), "--scenarios")
    one_error(invoke("sweep", "--scenarios", "presets", "--pairs", tmp_path), "--pairs")
    one_error(
        invoke("sweep", "--scenarios", "presets", "--pairs", tmp_path / "p.csv"),
        "--pairs",
        "file not found",
    )
    one_error(
        invoke("sweep", "--scenarios", "presets", "--pairs", "/dev/zero"),
        "--pairs",
        "not a regular file",
    )


def test_deeply_nested_scenario_json(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    one_error(invoke("route", "Guiyang", "Shenzhen", "-s", deep), "deep.json", "nested")
    one_error(invoke("sweep", "--scenarios", deep, "--pairs", "all"), "deep.json", "nested")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("origin,destination\nGuiyang,Duisburg\nKunming,\n", ["row 2", "'destination'", "empty"]),
        ("origin,destination\n,Duisburg\n", ["row 1", "'origin'", "empty"]),
        ("origin,destination\nGuiyang,nan\n", ["row 1", "'destination'", "no hub named 'nan'"]),
        ("from,to\nGuiyang,Duisburg\n", ["origin", "destination", "'from'"]),
        ("origin,destination\n", ["no pairs"]),
        ("", ["not a CSV"]),
    ],
)
def test_pairs_csv_cells_named(text: str, named: list[str], tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(text, encoding="utf-8")
    one_error(invoke("sweep", "--scenarios", "presets", "--pairs", pairs), "--pairs", *named)


def test_validate_a_csv_or_other_non_geojson(tmp_path: Path) -> None:
    table = tmp_path / "hubs.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    for path in (table, junk):
        result = invoke("validate", path)
        one_error(result, path.name, "1 problem")
        assert path.name in result.stdout
    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    one_error(invoke("validate", deep), "deep.geojson")
    one_error(invoke("summary", "--nodes", table), "--nodes", "hubs.csv", "no geometry")
    one_error(invoke("summary", "--edges", tmp_path), "--edges", "is a directory")


# --------------------------------------------------------------------- numbers, names


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["sensitivity", "Guiyang", "Shenzhen", "--seed", "-1"], "--seed"),
        (["sensitivity", "Guiyang", "Shenzhen", "--seed", str(2**32)], "--seed"),
        (["sensitivity", "Guiyang", "Shenzhen", "--samples", "0"], "--samples"),
        (["sensitivity", "Guiyang", "Shenzhen", "--samples", str(10**12)], "--samples"),
        (["alternatives", "Guiyang", "Shenzhen", "-n", "0"], "-n"),
        (["alternatives", "Guiyang", "Shenzhen", "-n", str(10**9)], "-n"),
        (["alternatives", "Guiyang", "Shenzhen", "--max-overlap", "1.5"], "--max-overlap"),
        (["alternatives", "Guiyang", "Shenzhen", "--max-overlap", "nan"], "--max-overlap"),
        (["pareto", "Guiyang", "Shenzhen", "--max-routes", "0"], "--max-routes"),
        (["map", "Guiyang", "Shenzhen", "-o", "m.png", "--top", "9"], "--top"),
        (["sweep", "--scenarios", "presets", "--pairs", "all", "--chunk", "0"], "--chunk"),
        (["sweep", "--scenarios", "presets", "--pairs", "all", "--timeout", "-1"], "--timeout"),
        (["sweep", "--scenarios", "presets", "--pairs", "all", "--timeout", "inf"], "--timeout"),
        (["sweep", "--scenarios", "presets", "--pairs", "all", "--scheduler", ""], "--scheduler"),
        (["route", "Guiyang", "Shenzhen", "--modes", ","], "--modes"),
        (["report", "--to", ""], "--to"),
    ],
)
def test_out_of_range_values_name_the_option(
    args: list[str], option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one_error(invoke(*args), option)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["route", "Guiyang"], "Missing argument"),
        (["route", "Guiyang", "Shenzhen", "--by", "speed"], "--by"),
        (["route", "Guiyang", "Shenzhen", "--bogus"], "--bogus"),
        (["sensitivity", "Guiyang", "Shenzhen", "--seed", "abc"], "--seed"),
        (["bogus"], "No such command"),
    ],
)
def test_usage_errors_exit_2_in_one_line(args: list[str], named: str) -> None:
    line = one_error(invoke(*args), named, code=2)
    assert "--help" in line


def test_origin_equal_to_destination(tmp_path: Path) -> None:
    one_error(invoke("map", "Guiyang", "贵阳", "-o", tmp_path / "m.png"), "same hub", "Guiyang")
    result = invoke("report", "--to", "Singapore,guiyang", "--map", tmp_path / "r.png")
    one_error(result, "--to", "same hub")
    assert result.stdout == ""  # checked before the first table
    assert not (tmp_path / "r.png").exists()


def test_report_names_checked_before_any_table(tmp_path: Path) -> None:
    result = invoke("report", "--to", "Singapore,Atlantis", "--map", tmp_path / "r.png")
    one_error(result, "no hub named 'Atlantis'")
    assert result.stdout == ""


def test_a_megabyte_of_input_is_not_a_megabyte_of_message() -> None:
    line = one_error(invoke("route", "x" * 1_000_000, "Shenzhen"), "no hub named")
    assert len(line) < 2_000


# ------------------------------------------------------------------------ injection

EVIL = "[link=http://evil.example]click[/link] [/x] [bold]B :thumbs_up: \x1b[31mred"


@pytest.fixture
def evil_network(tiny: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path) -> Path:
    nodes, edges = tiny
    nodes["features"][0]["properties"]["name"] = EVIL
    edges["features"][0]["properties"]["corridors"] = ["[/x]", "[link=http://evil.example]t[/link]"]
    edges["features"][1]["properties"]["corridors"] = ["tag\x1b]8;;http://evil.example\x1b\\"]
    (tmp_path / "nodes.geojson").write_text(json.dumps(nodes), encoding="utf-8")
    (tmp_path / "edges.geojson").write_text(json.dumps(edges), encoding="utf-8")
    return tmp_path


def test_markup_in_data_is_printed_literally(evil_network: Path) -> None:
    result = invoke(
        "summary",
        "--nodes",
        evil_network / "nodes.geojson",
        "--edges",
        evil_network / "edges.geojson",
    )
    assert result.exit_code == 0, result.output
    assert "[/x]" in result.stdout
    assert "[link=http://evil.example]t[/link]" in result.stdout
    assert "\x1b" not in result.stdout  # the terminal escape is shown escaped
    assert "tag\\x1b]8;;http://evil.example" in result.stdout


def test_markup_in_validate_output(evil_network: Path) -> None:
    edges = json.loads((evil_network / "edges.geojson").read_text(encoding="utf-8"))
    edges["features"][0]["properties"]["mode"] = "[/x]hyper[link=http://evil.example]loop[/link]"
    bad = evil_network / "bad.geojson"
    bad.write_text(json.dumps(edges), encoding="utf-8")
    result = invoke("validate", evil_network / "nodes.geojson", bad)
    one_error(result, "bad.geojson")
    assert "unknown value '[/x]hyper[link=http://evil.example]loop[/link]'" in result.stdout


def test_markup_in_arguments_and_scenario_names(tmp_path: Path) -> None:
    one_error(invoke("route", "[/x]", "Shenzhen"), "no hub named '[/x]'")
    one_error(invoke("route", "Guiyang", EVIL), "[link=http://evil.example]click[/link]", "\\x1b")
    scenario = tmp_path / "evil.json"
    scenario.write_text(json.dumps([{"name": EVIL, "close": ["Boten"]}]), encoding="utf-8")
    result = invoke("scenarios", "Guiyang", "Bangkok", "-s", scenario)
    assert result.exit_code == 0, result.output
    assert "[link=http://evil.example]click[/link] [/x] [bold]B" in result.stdout
    assert "\x1b" not in result.stdout


# ------------------------------------------------------------------- encodings, faults


def test_legacy_stdout_encoding_in_process() -> None:
    cp1252 = CliRunner(charset="cp1252")
    result = cp1252.invoke(app, ["hubs", "--country", "CHN"])  # Chinese names, '–'
    assert result.exit_code == 0, result.output
    assert "Guiyang" in result.stdout
    assert "?" in result.stdout  # 贵阳 replaced, not fatal
    ascii_ = CliRunner(charset="ascii")
    result = ascii_.invoke(app, ["compare", "Guiyang", "Shenzhen", "-f", "csv"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_legacy_stdout_encoding_subprocess(encoding: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "corridor", "services", "--mode", "rail", "-f", "csv"],
        capture_output=True,
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": encoding},
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stderr == b""
    assert b"?" in done.stdout  # '–' between stops, replaced


@pytest.mark.parametrize(
    ("fault", "named"),
    [
        (OSError(28, "No space left on device", "/data/out.csv"), "/data/out.csv"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "encoding"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (MemoryError("Unable to allocate 7.28 TiB"), "out of memory"),
    ],
)
def test_faults_are_one_line(
    fault: BaseException, named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise fault

    monkeypatch.setattr(cli, "load_network", boom)
    one_error(invoke("hubs"), named)


def test_a_bug_is_one_line_and_the_traceback_on_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(cli, "load_network", bug)
    result = invoke("hubs")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: unexpected KeyError: 'boom'")
    assert "CORRIDOR_DEBUG=1" in lines[0]
    result = invoke("hubs", env={"CORRIDOR_DEBUG": "1"})
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: unexpected KeyError")


# ------------------------------------------------------------------------ scheduler


def test_unreachable_scheduler_subprocess() -> None:
    done = run(*SWEEP, "--scheduler", "tcp://127.0.0.1:9", "--timeout", "1")
    one_error_line(done, "--scheduler", "127.0.0.1:9", "--timeout")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for conn in held:
        conn.close()


def test_scheduler_that_never_answers(silent_server: str) -> None:
    """Dask's own timeout bounds the connection, not the handshake: without the CLI's
    probe this waits forever."""
    done = run(*SWEEP, "--scheduler", silent_server, "--timeout", "1")
    one_error_line(done, "--scheduler", "did not answer")


def test_scheduler_address_malformed() -> None:
    for address, named in (("foo", "port"), ("http://x:1", "scheme")):
        result = invoke(*SWEEP, "--scheduler", address, "--timeout", "1")
        one_error(result, "--scheduler", named)


# ------------------------------------------------------------------------ fuzzing

TEXT = st.text(max_size=40)
FUZZ = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def no_traceback(result: Any) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exit_code:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: "), lines[0]
        assert "unexpected" not in lines[0], lines[0]


@FUZZ
@given(origin=TEXT, destination=TEXT)
def test_fuzz_hub_names(origin: str, destination: str) -> None:
    no_traceback(invoke("route", "--", origin, destination))


@FUZZ
@given(seed=TEXT, samples=TEXT, vary=TEXT)
def test_fuzz_sensitivity_options(seed: str, samples: str, vary: str) -> None:
    args = ["--seed", seed, "--samples", samples, "--vary", vary]
    no_traceback(invoke("sensitivity", "Guiyang", "Shenzhen", *args))


@FUZZ
@given(value=TEXT, option=st.sampled_from(["--country", "--kind", "--output"]))
def test_fuzz_hubs_options(value: str, option: str) -> None:
    if option == "--output":  # a name in the temporary folder, never a path out of it
        value = value.replace("/", "_").replace("\\", "_")
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        no_traceback(invoke("hubs", "-f", "csv", option, value))


@FUZZ
@given(scenario=TEXT, depart=TEXT)
def test_fuzz_route_scenario_and_depart(scenario: str, depart: str) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        no_traceback(
            invoke("route", "Kunming", "Vientiane", "--scenario", scenario, "--depart", depart)
        )


def test_a_reachable_scheduler_still_works(tmp_path: Path) -> None:
    """The probe and --timeout do not get in the way of a scheduler that answers."""
    distributed = pytest.importorskip("distributed")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("origin,destination\nKunming,Vientiane\n", encoding="utf-8")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = invoke(
            "sweep", "--scenarios", "presets", "--pairs", pairs,
            "--scheduler", cluster.scheduler_address, "--timeout", "5",
            "-o", tmp_path / "out.csv",
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 1 + len(cli.presets())  # header, baseline, every preset
