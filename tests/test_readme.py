"""Every Python block of README.md runs, in order, as one session: an example can never
raise again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_examples() -> None:
    assert len(blocks()) >= 5


def test_every_python_block_runs_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    pytest.importorskip("dask.distributed")
    monkeypatch.chdir(tmp_path)  # anything an example writes lands here
    session: dict[str, object] = {"__name__": "readme"}
    for i, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"README.md python block {i}", "exec"), session)
        except Exception as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"README.md python block {i} raised {type(exc).__name__}: {exc}")
    import matplotlib.pyplot as plt

    plt.close("all")


def test_the_readme_counts_the_services_it_ships() -> None:
    """The opening paragraph's count of services is the bundled table's (it said 68 while
    73 were bundled, until 2026-11-30)."""
    import corridor as cr

    found = re.search(r"\((\d+) trains, ships, barges and flights", README.read_text("utf-8"))
    assert found is not None
    assert int(found.group(1)) == len(cr.load_network().services)
