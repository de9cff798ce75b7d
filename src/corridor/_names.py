"""Normalising hub names for lookup: case-, accent- and punctuation-insensitive."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose into a base letter and a combining mark.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
    }
)


@lru_cache(maxsize=8192)
def normalize(name: str) -> str:
    """Fold a hub name to its lookup key.

    Accents and case are dropped and only letters and digits are kept (Chinese characters
    included), so that ``"Łódź"``, ``"lodz"`` and ``"LODZ"`` meet, as do ``"Gui'an"`` and
    ``"Guian"``.

    Examples
    --------
    >>> normalize("Łódź"), normalize("Gui'an New Area"), normalize("贵阳")
    ('lodz', 'guiannewarea', '贵阳')
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in stripped.casefold() if c.isalnum())
