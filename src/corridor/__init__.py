"""corridor: multimodal freight routing across the logistics corridors out of Guizhou.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> net.hub("Guiyang").name
'Guiyang'
"""

from __future__ import annotations

from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError, Problem
from corridor.io import load_network
from corridor.network import Hub, Network, NetworkSummary

__version__ = "0.1.0"

__all__ = [
    "CorridorError",
    "DataError",
    "Hub",
    "Network",
    "NetworkSummary",
    "NoRouteError",
    "NodeNotFound",
    "Problem",
    "__version__",
    "load_network",
]
