"""Every projection by name (读模型清单): what ``rebuild [NAME]`` and the runners iterate over.

Each open ledger keeps one object per projection (``LedgerSystem.read_models``): the first use creates
the projection's tables, later uses find the object with its caches and with what it has read of the log,
so a read costs no ``CREATE TABLE IF NOT EXISTS`` and, when nothing is new, one query to learn so
(``Projection.refresh``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar, cast

from ledger.system import LedgerSystem
from projections.base import Projection
from projections.dossier import DossierProjection
from projections.placements import PlacementsProjection
from projections.status import StatusProjection

PROJECTIONS: Mapping[str, type[Projection]] = MappingProxyType(
    {cls.name: cls for cls in (StatusProjection, DossierProjection, PlacementsProjection)}
)
"""The projection classes by their tracking name, in rebuild order."""

P = TypeVar("P", bound=Projection)


def projection(system: LedgerSystem, kind: type[P]) -> P:
    """The one object of the projection ``kind`` over this open ledger (its tables created on first use)."""
    found = system.read_models.get(kind.name)
    if found is None:
        with system.read_models_lock:
            found = system.read_models.get(kind.name)
            if found is None:
                found = system.read_models[kind.name] = kind(system)
    return cast(P, found)


def fresh(system: LedgerSystem, kind: type[P]) -> P:
    """The projection ``kind`` over this open ledger, brought up to date (cheaply when nothing is new)."""
    found = projection(system, kind)
    found.refresh()
    return found


def open_projections(system: LedgerSystem, names: list[str] | None = None) -> list[Projection]:
    """The named projections (all when ``names`` is None) over an open ledger; ``KeyError`` for an unknown name.

    The objects are the ledger's own (``projection``): the same ones every read of it uses.
    """
    chosen = list(PROJECTIONS) if names is None else names
    unknown = [name for name in chosen if name not in PROJECTIONS]
    if unknown:
        raise KeyError(f"no projection named {unknown[0]!r}; known: {', '.join(PROJECTIONS)}")
    return [projection(system, PROJECTIONS[name]) for name in chosen]


def catch_up_all(system: LedgerSystem) -> dict[str, int]:
    """Bring every projection up to date; how many statements each applied."""
    return {p.name: p.catch_up() for p in open_projections(system)}
