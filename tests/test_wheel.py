"""The built wheel carries the data: install it into a fresh venv, load outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import corridor as cr

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_loads_outside_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("corridor-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from the test environment's site-packages (added as a plain path,
    # so its editable-install hook for corridor is *not* processed)
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    code = (
        "import corridor, pathlib; net = corridor.load_network(); "
        "corridor.compare(net, 'Guiyang', 'Duisburg'); assert corridor.presets(); "
        "from corridor.plot import basemap; assert len(basemap()) > 100; "
        "print(pathlib.Path(corridor.__file__).resolve()); "
        "print(len(net.nodes), len(net.edges), len(net.services))"
    )
    done = subprocess.run(
        [str(py), "-c", code], cwd=outside, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    location, counts = done.stdout.strip().splitlines()
    assert Path(location).is_relative_to(env_dir.resolve())
    assert (Path(location).parent / "data" / "nodes.geojson").is_file()
    here = cr.load_network()
    assert counts.split() == [str(len(here.nodes)), str(len(here.edges)), str(len(here.services))]
