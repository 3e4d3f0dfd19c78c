"""Units, actors and campaigns as folded from their streams (组织、人员、集中排查), and the `World` the guards ask.

A member's guards need facts outside the member's own stream: the unit tree (for the levels B … D+ of
procedures.md §1.2), an actor's unit, roles and standing at a date (§1.3, an `ActorRegistered` replaces the
earlier one from its `occurred_at`), and review campaigns (§2.2). `RegistryWorld` is the in-memory answer,
built by folding unit and actor streams with `apply`; the ledger keeps one up to date from its store.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol

from domain.dates import day
from domain.levels import AdminLevel, Unit, UnitId, UnitKind, UnitTree

UNIT_TYPES = frozenset({"UnitRegistered", "UnitDissolved", "ReviewCampaignOpened"})
"""Statement types of a unit stream."""
ACTOR_TYPES = frozenset({"ActorRegistered", "KeyEnrolled", "KeyRevoked"})
"""Statement types of an actor stream (the key statements are the kernel's; only genesis roles matter here)."""


@dataclass(frozen=True)
class ActorView:
    """An actor as of one date: its unit (None for the genesis administrator), roles and own standing."""

    actor: str
    unit: UnitId | None
    roles: frozenset[str]
    standing: str
    name: str = ""


@dataclass(frozen=True)
class ActorVersion:
    """One `ActorRegistered` (or genesis enrolment): valid from `since` until the next version."""

    since: date
    view: ActorView


@dataclass(frozen=True)
class UnitRecord:
    """A registered unit: what `UnitRegistered` said, and the date of its `UnitDissolved`, if any."""

    kind: UnitKind
    name: str
    parent: UnitId | None
    admin_level: AdminLevel | None
    has_committee: bool
    live_from: date | None
    dissolved_on: date | None = None
    successor: UnitId | None = None


@dataclass(frozen=True)
class Campaign:
    """A 集中排查 campaign opened by a department (`ReviewCampaignOpened`)."""

    campaign_id: str
    scope_unit: UnitId
    review_start: date | None
    review_end: date | None


class World(Protocol):
    """Everything outside one member's stream that the guards ask, always as of a date."""

    def tree(self, t: date) -> UnitTree:
        """The unit tree at t (dissolution dates included, so levels can skip dissolved units)."""
        ...

    def unit(self, unit_id: UnitId) -> UnitRecord | None:
        """A registered unit, or None."""
        ...

    def actor(self, actor_id: str, t: date) -> ActorView | None:
        """The actor's unit, roles and standing in force at t, or None when not registered by then."""
        ...

    def campaign(self, campaign_id: str) -> Campaign | None:
        """A review campaign by id, or None."""
        ...


@dataclass(frozen=True)
class RegistryWorld:
    """The `World` folded from unit and actor streams; `apply` returns a new world (replay is pure)."""

    units: Mapping[UnitId, UnitRecord] = field(default_factory=lambda: MappingProxyType({}))
    actors: Mapping[str, tuple[ActorVersion, ...]] = field(default_factory=lambda: MappingProxyType({}))
    campaigns: Mapping[str, Campaign] = field(default_factory=lambda: MappingProxyType({}))

    def tree(self, t: date) -> UnitTree:
        return self._tree

    @functools.cached_property
    def _tree(self) -> UnitTree:
        """Built once per world: a world never changes (``apply`` returns a new one)."""
        return UnitTree(
            {uid: Unit(u.kind, u.parent, u.admin_level, u.dissolved_on) for uid, u in self.units.items()}
        )

    def unit(self, unit_id: UnitId) -> UnitRecord | None:
        return self.units.get(unit_id)

    def actor(self, actor_id: str, t: date) -> ActorView | None:
        current = None
        for version in self.actors.get(actor_id, ()):
            if version.since <= t:
                current = version.view
        return current

    def campaign(self, campaign_id: str) -> Campaign | None:
        return self.campaigns.get(campaign_id)

    def apply(self, statement: Mapping[str, Any]) -> RegistryWorld:
        """Fold one accepted unit- or actor-stream statement; other types leave the world unchanged."""
        kind = statement["type"]
        body = statement["body"]
        stream = statement["stream"]
        t = day(statement["occurred_at"]) or date.min
        if kind == "UnitRegistered":
            record = UnitRecord(
                kind=UnitKind(body["kind"]),
                name=body.get("name", ""),
                parent=body.get("parent"),
                admin_level=AdminLevel(body["admin_level"]) if body.get("admin_level") else None,
                has_committee=bool(body.get("has_committee", True)),
                live_from=day(body.get("live_from")),
            )
            return replace(self, units=_with(self.units, stream, record))
        if kind == "UnitDissolved" and stream in self.units:
            unit = replace(self.units[stream], dissolved_on=t, successor=body.get("successor"))
            return replace(self, units=_with(self.units, stream, unit))
        if kind == "ReviewCampaignOpened":
            campaign = Campaign(
                body["campaign_id"],
                body["scope_unit"],
                day(body.get("review_start")),
                day(body.get("review_end")),
            )
            return replace(self, campaigns=_with(self.campaigns, campaign.campaign_id, campaign))
        if kind == "ActorRegistered" or (kind == "KeyEnrolled" and isinstance(body.get("roles"), list)):
            if kind == "KeyEnrolled" and self.actors.get(stream):
                return self
            view = ActorView(
                actor=stream,
                unit=body.get("unit"),
                roles=frozenset(body.get("roles", ())),
                standing=body.get("standing", "none"),
                name=body.get("name", ""),
            )
            since = date.min if kind == "KeyEnrolled" else t
            versions = (*self.actors.get(stream, ()), ActorVersion(since, view))
            ordered = tuple(sorted(versions, key=lambda v: v.since))
            return replace(self, actors=_with(self.actors, stream, ordered))
        return self


def _with(mapping: Mapping[str, Any], key: str, value: Any) -> Mapping[str, Any]:
    return MappingProxyType({**mapping, key: value})
