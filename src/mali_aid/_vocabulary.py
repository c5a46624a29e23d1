"""The words the public functions take, as constants: what :func:`totals`
groups by, what :func:`find_overlaps` matches on, the kinds of record."""

from __future__ import annotations

from typing import Final

from ._aggregate import DIMENSIONS
from ._kinds import KINDS as _KINDS
from ._overlap import _DIMENSIONS

__all__ = ["OVERLAP_DIMENSIONS", "RECORD_KINDS", "TOTAL_DIMENSIONS"]

#: What :func:`~mali_aid.totals` groups by (besides a function of yours).
TOTAL_DIMENSIONS: Final[tuple[str, ...]] = DIMENSIONS
#: What :func:`~mali_aid.find_overlaps` matches on.
OVERLAP_DIMENSIONS: Final[tuple[str, ...]] = _DIMENSIONS
#: Each kind of record, in the order of the data files: the name of its
#: lookup (``data.place(id)``) and, plural, of its table (``data.places``).
RECORD_KINDS: Final[tuple[str, ...]] = tuple(singular for _, singular, _ in _KINDS)
