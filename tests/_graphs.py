"""The hypothesis strategy of random sparse graphs that the kernel and csgraph tests share."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import strategies as st


@st.composite
def graphs(
    draw: st.DrawFn,
    max_n: int = 25,
    arcs_per_node: int = 4,
    max_int: int = 9,
    max_float: float = 100.0,
) -> sp.csr_matrix:
    """Random sparse graphs: any size up to ``max_n``, zero weights, integer weights (ties)
    or floats, self-loops, parallel edges (duplicates survive in a non-canonical CSR)."""
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(0, arcs_per_node * n))
    rows = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    cols = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    ints = draw(st.booleans())
    weights = draw(
        st.lists(
            st.integers(0, max_int).map(float)
            if ints
            else st.floats(0, max_float, allow_nan=False),
            min_size=m,
            max_size=m,
        )
    )
    return sp.csr_matrix(
        (np.array(weights, dtype=float), (np.array(rows, dtype=int), np.array(cols, dtype=int))),
        shape=(n, n),
    )
