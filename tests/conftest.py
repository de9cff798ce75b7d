"""Shared fixtures: the bundled network and a tiny valid network to break on purpose."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import corridor as cr

os.environ.setdefault("MPLBACKEND", "Agg")  # headless plots

settings.register_profile("default", deadline=None)
# the JIT-off coverage run in CI draws the same examples every time, so its figure is stable
settings.register_profile("coverage", deadline=None, derandomize=True)
settings.load_profile("coverage" if os.environ.get("NUMBA_DISABLE_JIT") == "1" else "default")

Json = dict[str, Any]


@pytest.fixture(scope="session")
def net() -> cr.Network:
    return cr.load_network()


def _node(ident: str, lon: float, lat: float, modes: list[str], **extra: Any) -> Json:
    props = {
        "id": ident,
        "name": ident.title(),
        "name_zh": None,
        "aliases": [],
        "kind": "city",
        "country": "CHN",
        "modes": modes,
        "source": "test fixture",
        **extra,
    }
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def _edge(ident: str, a: Json, b: Json, mode: str, length: float, **extra: Any) -> Json:
    props = {
        "id": ident,
        "from": a["properties"]["id"],
        "to": b["properties"]["id"],
        "mode": mode,
        "line": f"{ident} line",
        "corridors": ["test"],
        "length_km": length,
        "gauge_mm": 1435 if mode == "rail" else None,
        "status": "operational",
        "bidirectional": True,
        "source": "test fixture",
        **extra,
    }
    coords = [a["geometry"]["coordinates"], b["geometry"]["coordinates"]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": coords},
    }


@pytest.fixture
def factory() -> tuple[Callable[..., Json], Callable[..., Json]]:
    """``(node, edge)``: builders of hub and link features for hand-made networks."""
    return _node, _edge


@pytest.fixture
def tiny() -> tuple[Json, Json]:
    """Three hubs about 100 km apart, a rail and a road link: valid as given."""
    a = _node("alpha", 106.0, 26.0, ["rail", "road"], aliases=["Álpha Town", "AAA"])
    b = _node("beta", 107.0, 26.0, ["rail"])
    c = _node("gamma", 107.0, 27.0, ["road", "rail"])
    nodes = {"type": "FeatureCollection", "features": [a, b, c]}
    edges = {
        "type": "FeatureCollection",
        "features": [_edge("ab", a, b, "rail", 120.0), _edge("ac", a, c, "road", 160.0)],
    }
    return nodes, edges


@pytest.fixture
def write(tmp_path: Path) -> Callable[[Json | str, str], Path]:
    """Write a GeoJSON dict (or raw text) under a temporary folder; return the path."""

    def _write(doc: Json | str, name: str) -> Path:
        path = tmp_path / name
        text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def broken(
    tiny: tuple[Json, Json], write: Callable[[Json | str, str], Path]
) -> Callable[..., tuple[Path, Path]]:
    """Copy the tiny network, let the test change it, and write both files."""

    def _broken(change: Callable[[Json, Json], None]) -> tuple[Path, Path]:
        nodes, edges = copy.deepcopy(tiny)
        change(nodes, edges)
        return write(nodes, "nodes.geojson"), write(edges, "edges.geojson")

    return _broken
