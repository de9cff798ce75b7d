"""scipy's own ``test_shortest_path.py``, run with corridor's ``dijkstra``, ``shortest_path``
and ``yen`` in place of scipy's.

The file is taken from the installed scipy (its tests package ships in the wheel), copied
into a temporary directory with its ``from scipy.sparse.csgraph import (...)`` line rewritten
so that the three names come from :mod:`corridor.csgraph` (everything else it imports, such as
``johnson``, ``bellman_ford`` and ``construct_dist_matrix``, stays scipy's), and run by pytest
in a subprocess. Every test must pass, except the differences listed in :data:`EXPECTED`:
those are marked ``xfail(strict=True, raises=DataError)`` in the run, and must fail with a
``corridor.DataError`` whose message matches the pattern given, for the reason given.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

#: the functions swapped for corridor's
SWAPPED = ("dijkstra", "shortest_path", "yen")

#: test name -> (pattern the DataError's message must match, why corridor differs)
EXPECTED: dict[str, tuple[str, str]] = {
    "test_NaN_warnings": (
        r"graph has 1 NaN weight, first at \(1, 0\) = nan",
        "NaN weights are a DataError in corridor; scipy reads a NaN in a dense graph as "
        "no edge (the test checks that scipy does so without a RuntimeWarning)",
    ),
    "test_negative_cycles": (
        r"negative (or NaN )?weights?, .*; yen needs weights >= 0",
        "corridor's yen refuses negative weights (DataError) before looking for a cycle; "
        "scipy's reweights by Johnson's algorithm and raises NegativeCycleError. The "
        "shortest_path calls of the test (methods FW, J, BF) are scipy's and pass first",
    ),
    "test_sparse_matrices": (
        r"1 negative weight, first at \(1, 2\) = -1\.0; .*method='auto'.*'BF' or 'J'",
        "shortest_path(method='auto') is corridor's Dijkstra, which refuses negative "
        "weights; scipy's 'auto' switches to Johnson's algorithm for them",
    ),
    "test_yen_negative_weights": (
        r"negative (or NaN )?weights?, .*; yen needs weights >= 0",
        "corridor's yen refuses negative weights (DataError); scipy's reweights by "
        "Johnson's algorithm",
    ),
}

_IMPORT = re.compile(r"from scipy\.sparse\.csgraph import \(([^)]*)\)")

_CONFTEST = '''\
"""Written by corridor's tests/test_scipy_suite.py: marks the expected differences and
records every test's outcome."""

import json
from pathlib import Path

import pytest

from corridor import DataError

EXPECTED = json.loads(Path(__file__).with_name("expected.json").read_text())
RECORDS = []


def pytest_collection_modifyitems(items):
    for item in items:
        name = getattr(item, "originalname", None) or item.name
        if name in EXPECTED:
            item.add_marker(
                pytest.mark.xfail(raises=DataError, strict=True, reason=EXPECTED[name])
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" or rep.outcome != "passed":
        exc = call.excinfo
        RECORDS.append(
            {
                "nodeid": item.nodeid,
                "name": getattr(item, "originalname", None) or item.name,
                "when": rep.when,
                "outcome": rep.outcome,
                "xfail": hasattr(rep, "wasxfail"),
                "exc_type": None if exc is None else exc.type.__module__ + "." + exc.typename,
                "message": None if exc is None else str(exc.value),
            }
        )


def pytest_sessionfinish(session):
    Path(__file__).with_name("outcomes.json").write_text(json.dumps(RECORDS, indent=1))
'''


def scipy_test_file() -> Path:
    """The installed scipy's ``test_shortest_path.py`` (fails, never skips, if missing)."""
    spec = importlib.util.find_spec("scipy.sparse.csgraph.tests")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(
            "scipy.sparse.csgraph.tests is not installed (a scipy build without its tests): "
            "corridor's drop-in claim is checked against that suite, so this must not skip"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "test_shortest_path.py"
    if not path.is_file():
        pytest.fail(f"scipy's test_shortest_path.py is missing from {path.parent}")
    return path


def swap_imports(text: str) -> str:
    """``text`` with dijkstra, shortest_path and yen imported from corridor.csgraph."""
    found = _IMPORT.findall(text)
    assert len(found) == 1, "scipy's test file no longer imports csgraph in one statement"
    names = [n.strip() for n in found[0].replace("\n", " ").split(",") if n.strip()]
    missing = set(SWAPPED) - set(names)
    assert not missing, f"scipy's test file no longer imports {sorted(missing)}"
    kept = ", ".join(n for n in names if n not in SWAPPED)
    new = (
        f"from scipy.sparse.csgraph import ({kept})\n"
        f"from corridor.csgraph import {', '.join(SWAPPED)}  # swapped in by corridor"
    )
    out = _IMPORT.sub(lambda _: new, text)
    # no other route to scipy's versions of the swapped functions
    assert not re.search(r"csgraph\.(dijkstra|shortest_path|yen)\b", out)
    assert not re.search(r"import .*\b_shortest_path\b", out)
    return out


def test_swap_imports_rewrites_only_the_three_names() -> None:
    text = "from scipy.sparse.csgraph import (shortest_path, dijkstra, johnson,\n    yen)\n"
    assert swap_imports(text) == (
        "from scipy.sparse.csgraph import (johnson)\n"
        "from corridor.csgraph import dijkstra, shortest_path, yen  # swapped in by corridor\n"
    )


def test_scipy_shortest_path_suite_passes_with_corridor(tmp_path: Path) -> None:
    source = scipy_test_file()
    (tmp_path / "test_shortest_path.py").write_text(swap_imports(source.read_text()))
    (tmp_path / "conftest.py").write_text(_CONFTEST)
    (tmp_path / "expected.json").write_text(
        json.dumps({name: reason for name, (_, reason) in EXPECTED.items()})
    )
    # a config of its own: not corridor's pyproject (doctests of tmp files, testpaths)
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings =\n    error\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rxXfE", "-p", "no:cacheprovider",
         "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
         "test_shortest_path.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = run.stdout[-6000:] + run.stderr[-3000:]
    outcomes = tmp_path / "outcomes.json"
    assert outcomes.is_file(), f"the suite did not run:\n{report}"
    records = json.loads(outcomes.read_text())
    calls = [r for r in records if r["when"] == "call"]
    assert len(calls) >= 80, f"only {len(calls)} tests ran:\n{report}"

    unexpected = [r for r in records if r["name"] not in EXPECTED and r["outcome"] != "passed"]
    assert not unexpected, f"scipy tests failing with corridor: {unexpected}\n{report}"
    for name, (pattern, _reason) in EXPECTED.items():
        got = [r for r in calls if r["name"] == name]
        assert got, f"{name} is no longer in scipy's suite: drop it from EXPECTED"
        for r in got:
            assert r["xfail"], f"{name} should be an expected failure: {r}\n{report}"
            assert r["outcome"] == "skipped", f"{name}: {r}\n{report}"  # how xfail reports
            assert r["exc_type"] == "corridor._errors.DataError", f"{name}: {r}"
            assert re.search(pattern, r["message"]), f"{name}: {r['message']!r}"
    assert run.returncode == 0, report
