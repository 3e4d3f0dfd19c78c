"""The small signed world the storage tests build on (see ledger/sandbox.py)."""

from ledger.sandbox import Actor, World, make_world

__all__ = ["Actor", "World", "make_world"]
