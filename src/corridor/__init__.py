"""corridor: multimodal freight routing across the logistics corridors out of Guizhou.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> net.hub("Guiyang").name
'Guiyang'
"""

from __future__ import annotations

from corridor import csgraph
from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError, Problem
from corridor.costs import CostModel, PerMode
from corridor.io import load_network
from corridor.network import Hub, Network, NetworkSummary
from corridor.routing import Route, route, route_matrix
from corridor.scenario import Scenario

__version__ = "0.1.0"

__all__ = [
    "CorridorError",
    "CostModel",
    "DataError",
    "Hub",
    "Network",
    "NetworkSummary",
    "NoRouteError",
    "NodeNotFound",
    "PerMode",
    "Problem",
    "Route",
    "Scenario",
    "__version__",
    "csgraph",
    "load_network",
    "route",
    "route_matrix",
]
