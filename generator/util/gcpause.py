"""Pause the cyclic garbage collector around phases that build large, acyclic structures.

Loading, emitting and indexing create hundreds of thousands of small dicts, records and strings with no
reference cycles. The cyclic GC would rescan the growing heap again and again (measured: 40% of a cached
check of 20,000 items); reference counting alone frees everything. One helper instead of a copy per phase.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC for the block (restored as it was, also on errors)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of gc_paused."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper
