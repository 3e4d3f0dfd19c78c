"""Every projection by name (读模型清单): what ``rebuild [NAME]`` and the runners iterate over."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ledger.system import LedgerSystem
from projections.base import Projection
from projections.dossier import DossierProjection
from projections.placements import PlacementsProjection
from projections.status import StatusProjection

PROJECTIONS: Mapping[str, type[Projection]] = MappingProxyType(
    {cls.name: cls for cls in (StatusProjection, DossierProjection, PlacementsProjection)}
)
"""The projection classes by their tracking name, in rebuild order."""


def open_projections(system: LedgerSystem, names: list[str] | None = None) -> list[Projection]:
    """The named projections (all when ``names`` is None) over an open ledger; ``KeyError`` for an unknown name."""
    chosen = list(PROJECTIONS) if names is None else names
    unknown = [name for name in chosen if name not in PROJECTIONS]
    if unknown:
        raise KeyError(f"no projection named {unknown[0]!r}; known: {', '.join(PROJECTIONS)}")
    return [PROJECTIONS[name](system) for name in chosen]


def catch_up_all(system: LedgerSystem) -> dict[str, int]:
    """Bring every projection up to date; how many statements each applied."""
    return {p.name: p.catch_up() for p in open_projections(system)}
