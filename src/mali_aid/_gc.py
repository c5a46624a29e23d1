"""Pausing the cyclic garbage collector around allocation-heavy work."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration, if it was running.

    Totals and overlaps over a million records allocate millions of small
    tuples and sets that hold no reference cycles; the collector's repeated
    passes over them cost more than the work itself. Reference counting
    still frees everything as usual, and the collector is switched back on
    afterwards (also when an exception leaves the block).
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
