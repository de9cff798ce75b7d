"""Exception hierarchy of :mod:`corridor`.

Every error the library raises on purpose derives from :class:`CorridorError`, and each
also subclasses the built-in exception a caller would naturally catch: a bad dataset is a
:class:`ValueError`, an unknown hub a :class:`KeyError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CorridorError", "DataError", "NoRouteError", "NodeNotFound", "Problem"]


class CorridorError(Exception):
    """Base class of every error raised by :mod:`corridor`."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a dataset: where it is and what is wrong.

    Parameters
    ----------
    source : str
        The file (or ``"nodes"`` / ``"edges"`` for in-memory frames) holding the feature.
    feature : str or None
        The feature's ``id`` when it has a usable one, else its position ``#<n>``;
        ``None`` for problems of the whole file.
    field : str or None
        The property (or ``"geometry"``) at fault, if a single one is.
    message : str
        What is wrong, with the offending value.

    Examples
    --------
    >>> print(Problem("edges.geojson", "rail_a_b", "length_km", "must be > 0, got -3.0"))
    edges.geojson: feature 'rail_a_b': field 'length_km': must be > 0, got -3.0
    """

    source: str
    feature: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.source]
        if self.feature is not None:
            parts.append(
                f"feature {self.feature}"
                if self.feature.startswith("#")
                else f"feature {self.feature!r}"
            )
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        parts.append(self.message)
        return ": ".join(parts)


class DataError(CorridorError, ValueError):
    """A dataset or user-supplied value is invalid.

    Carries every problem found, not just the first, in :attr:`problems`.

    Examples
    --------
    >>> err = DataError([Problem("nodes.geojson", None, None, "contains no features")])
    >>> isinstance(err, ValueError), len(err.problems)
    (True, 1)
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            msg = problems
        else:
            self.problems = tuple(problems)
            n = len(self.problems)
            head = f"{n} problem{'s' if n != 1 else ''} in the network data:"
            msg = "\n".join([head, *(f"  - {p}" for p in self.problems)])
        super().__init__(msg)


class NodeNotFound(CorridorError, KeyError):
    """No hub matches the name, id or alias asked for.

    Attributes
    ----------
    query : str
        What was asked for.
    suggestions : tuple of str
        The closest hub names, best first.
    """

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        shown = (
            repr(query[:80]) if len(query) <= 80 else f"{query[:80]!r}… ({len(query):,} characters)"
        )
        msg = f"no hub named {shown}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(msg)

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class NoRouteError(CorridorError):
    """No route joins the two hubs under the constraints given."""
