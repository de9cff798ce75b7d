"""The immutable :class:`Network`: hubs and links as GeoDataFrames, and hub lookup."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

from corridor._checks import shown
from corridor._errors import DataError, NodeNotFound
from corridor._names import normalize

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Hub", "Network", "NetworkSummary"]


@dataclass(frozen=True, slots=True)
class Hub:
    """One hub of the network, as a value.

    Attributes
    ----------
    id, name, kind, country : str
    name_zh : str or None
    aliases, modes : tuple of str
    lon, lat : float
        WGS84 degrees.
    properties : Mapping
        Every other property of the feature (costs, dwell, source, method ...).
    """

    id: str
    name: str
    name_zh: str | None
    aliases: tuple[str, ...]
    kind: str
    country: str
    modes: tuple[str, ...]
    lon: float
    lat: float
    properties: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """Counts and lengths of a network, as tables.

    Attributes
    ----------
    hubs_by_kind : pandas.Series
    hubs_by_country : pandas.Series
    links_by_mode : pandas.DataFrame
        Per mode: ``links`` and ``km`` (each link counted once, bidirectional or not), and
        how many links are ``operational`` and ``not_operational``.
    corridors : pandas.DataFrame
        Per corridor: ``links``, ``km`` and the ``modes`` it uses.
    """

    n_hubs: int
    n_links: int
    hubs_by_kind: pd.Series
    hubs_by_country: pd.Series
    links_by_mode: pd.DataFrame
    corridors: pd.DataFrame

    def __str__(self) -> str:
        return "\n\n".join(
            [
                f"{self.n_hubs} hubs, {self.n_links} links",
                "Hubs by kind\n" + self.hubs_by_kind.to_string(),
                "Links by mode\n" + self.links_by_mode.to_string(float_format="{:,.0f}".format),
                "Corridors\n" + self.corridors.to_string(float_format="{:,.0f}".format),
            ]
        )


#: longest hub name, id or alias looked up (the longest bundled one is under 80 characters)
MAX_NAME_CHARS = 300


class Network:
    """A multimodal freight network: hubs and the links between them.

    Build one with :func:`corridor.load_network`. A network never changes once built:
    :attr:`nodes` and :attr:`edges` hand out copies, and attributes cannot be set.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> net.hub("贵阳").id, net.hub("lodz").name
    ('guiyang', 'Łódź')
    """

    __slots__ = ("__weakref__", "_borders", "_edges", "_keys", "_nodes", "_ports", "_services")

    _nodes: gpd.GeoDataFrame
    _edges: gpd.GeoDataFrame
    _keys: dict[str, str]
    _services: pd.DataFrame
    _borders: pd.DataFrame
    _ports: pd.DataFrame

    def __init__(
        self,
        nodes: gpd.GeoDataFrame,
        edges: gpd.GeoDataFrame,
        services: pd.DataFrame | None = None,
        borders: pd.DataFrame | None = None,
        ports: pd.DataFrame | None = None,
    ) -> None:
        keys: dict[str, str] = {}
        for ident, name, name_zh, aliases in zip(
            nodes["id"], nodes["name"], nodes["name_zh"], nodes["aliases"], strict=True
        ):
            for n in (ident, name, name_zh, *aliases):
                if isinstance(n, str) and normalize(n):
                    keys.setdefault(normalize(n), ident)
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_edges", edges)
        object.__setattr__(self, "_keys", keys)
        if services is None:
            from corridor.services import empty_services

            services = empty_services()
        object.__setattr__(self, "_services", services)
        from corridor.tables import BORDER_COLUMNS, PORT_COLUMNS

        if borders is None:
            borders = pd.DataFrame(columns=list(BORDER_COLUMNS)).set_index(
                ["hub", "mode", "direction"]
            )
        if ports is None:
            ports = pd.DataFrame(columns=list(PORT_COLUMNS))
        object.__setattr__(self, "_borders", borders)
        object.__setattr__(self, "_ports", ports)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"Network is immutable: cannot set {name!r}; use a Scenario or load new data"
        )

    def __repr__(self) -> str:
        return (
            f"<Network: {len(self._nodes)} hubs, {len(self._edges)} links, "
            f"{len(self._services)} services>"
        )

    @property
    def services(self) -> pd.DataFrame:
        """The scheduled services (a copy): stops, links, departures a week, transit, tariff.

        Examples
        --------
        >>> import corridor as cr
        >>> s = cr.load_network().services
        >>> float(s.loc["rs_dulaying_qinzhou", "departures_per_week"])
        2.0
        """
        return self._services.copy()

    @property
    def borders(self) -> pd.DataFrame:
        """Border processes (a copy) by ``(hub, mode, direction)``: hours, USD, source."""
        return self._borders.copy()

    @property
    def ports(self) -> pd.DataFrame:
        """Seaport export, import and transshipment hours and USD (a copy), by hub."""
        return self._ports.copy()

    def __reduce__(self) -> tuple[type[Network], tuple[Any, ...]]:
        """Pickle by data (for Dask workers): rebuilt through the constructor."""
        return (
            Network,
            (self._nodes, self._edges, self._services, self._borders, self._ports),
        )

    @property
    def nodes(self) -> gpd.GeoDataFrame:
        """Hubs, one row per hub, indexed by id (a copy)."""
        return self._nodes.copy()

    @property
    def edges(self) -> gpd.GeoDataFrame:
        """Links, one row per link, indexed by id (a copy)."""
        return self._edges.copy()

    def hub_id(self, query: str) -> str:
        """Resolve a hub id, name or alias (any case, accents optional) to its id.

        Raises
        ------
        NodeNotFound
            With the closest names as suggestions.

        Examples
        --------
        >>> import corridor as cr
        >>> cr.load_network().hub_id("CNQZH")
        'qinzhou_port'
        """
        if not isinstance(query, str):
            raise DataError(f"a hub is named by a string, got {shown(query)}")
        if len(query) > MAX_NAME_CHARS:  # no hub name is this long: no lookup, no suggestion
            raise NodeNotFound(query)
        ident = self._keys.get(normalize(query))
        if ident is None:
            raise NodeNotFound(query, self._suggest(query))
        return ident

    def _suggest(self, query: str, n: int = 5) -> list[str]:
        key = normalize(query)
        close = difflib.get_close_matches(key, list(self._keys), n=4 * n, cutoff=0.5)
        if key:
            close += [k for k in self._keys if key in k and k not in close]
        out: list[str] = []
        for k in close:
            name = str(self._nodes.at[self._keys[k], "name"])
            if name not in out:
                out.append(name)
        return out[:n]

    def hub(self, query: str) -> Hub:
        """The hub named by ``query`` (id, name or alias; see :meth:`hub_id`).

        Examples
        --------
        >>> import corridor as cr
        >>> h = cr.load_network().hub("guiyang")
        >>> h.name, h.kind
        ('Guiyang', 'city')
        """
        row = self._nodes.loc[self.hub_id(query)]
        base = {"id", "name", "name_zh", "aliases", "kind", "country", "modes", "geometry"}
        props = {k: v for k, v in row.items() if k not in base}
        return Hub(
            id=row["id"],
            name=row["name"],
            name_zh=row["name_zh"],
            aliases=tuple(row["aliases"]),
            kind=row["kind"],
            country=row["country"],
            modes=tuple(row["modes"]),
            lon=float(row.geometry.x),
            lat=float(row.geometry.y),
            properties=props,
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        """The network as a NetworkX ``MultiDiGraph`` keyed by link id, every attribute kept.

        A bidirectional link becomes two arcs with the same key; the reverse arc carries
        ``reversed=True`` and the reversed geometry.

        Examples
        --------
        >>> import corridor as cr
        >>> g = cr.load_network().to_networkx()
        >>> g.nodes["guiyang"]["country"]
        'CHN'
        """
        import networkx as nx  # only here: importing corridor does not pay for it

        g = nx.MultiDiGraph()
        for ident, row in self._nodes.iterrows():
            attrs = row.to_dict()
            attrs["x"], attrs["y"] = row.geometry.x, row.geometry.y
            g.add_node(ident, **attrs)
        for ident, row in self._edges.iterrows():
            attrs = row.to_dict()
            g.add_edge(row["from"], row["to"], key=ident, reversed=False, **attrs)
            if row["bidirectional"]:
                back = dict(attrs)
                back["geometry"] = LineString(list(row.geometry.coords)[::-1])
                g.add_edge(row["to"], row["from"], key=ident, reversed=True, **back)
        return g

    def summary(self) -> NetworkSummary:
        """Counts of hubs and links, and km by mode and by corridor.

        Examples
        --------
        >>> import corridor as cr
        >>> s = cr.load_network().summary()
        >>> s.n_hubs >= 60 and s.n_links >= 120
        True
        """
        nodes, edges = self._nodes, self._edges
        operational = edges["status"] == "operational"
        by_mode = pd.DataFrame(
            {
                "links": edges.groupby("mode").size(),
                "km": edges.groupby("mode")["length_km"].sum(),
                "operational": operational.groupby(edges["mode"]).sum(),
            }
        )
        by_mode["not_operational"] = by_mode["links"] - by_mode["operational"]
        exploded = edges[["corridors", "length_km", "mode"]].explode("corridors")
        exploded = exploded.dropna(subset=["corridors"])
        corridors = exploded.groupby("corridors").agg(
            links=("length_km", "size"),
            km=("length_km", "sum"),
            modes=("mode", lambda m: ", ".join(sorted(set(m)))),
        )
        corridors.index.name = "corridor"
        return NetworkSummary(
            n_hubs=len(nodes),
            n_links=len(edges),
            hubs_by_kind=nodes.groupby("kind").size().rename("hubs"),
            hubs_by_country=nodes.groupby("country").size().rename("hubs"),
            links_by_mode=by_mode,
            corridors=corridors,
        )
