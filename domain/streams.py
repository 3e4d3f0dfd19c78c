"""Rules of unit and actor streams (组织与人员): ADM signs organisation and actor statements, ODL opens
campaigns for its own department, and `UnitRegistered` obeys the parent rules of §1.1."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.codes import ROLE_UNIT_KINDS
from domain.dates import day
from domain.guards.table import Refusal, refusal
from domain.levels import AdminLevel, UnitKind, registration_refusals
from domain.registry import World

ADMIN = "ADM"


def _signer_has(world: World, statement: Mapping[str, Any], role: str) -> bool:
    t = day(statement["occurred_at"]) or date.min
    view = world.actor(str(statement.get("actor")), t)
    return view is not None and role in view.roles


def check_unit_stream(statement: Mapping[str, Any], world: World) -> list[Refusal]:
    """Refusals of `UnitRegistered`, `UnitDissolved` and `ReviewCampaignOpened`."""
    kind, body = statement["type"], statement["body"]
    t = day(statement["occurred_at"]) or date.min
    if kind == "ReviewCampaignOpened":
        view = world.actor(str(statement.get("actor")), t)
        if view is None or "ODL" not in view.roles:
            return [refusal(5, "ReviewCampaignOpened is signed by ODL")]
        if view.unit != body.get("scope_unit") or view.unit != statement["stream"]:
            return [refusal(7, "a department opens campaigns for itself, on its own stream")]
        return []
    if not _signer_has(world, statement, ADMIN):
        return [refusal(5, f"{kind} is signed by ADM")]
    if kind == "UnitRegistered":
        level = AdminLevel(body["admin_level"]) if body.get("admin_level") else None
        found = registration_refusals(world.tree(t), UnitKind(body["kind"]), body.get("parent"), level, t)
        return [refusal(0, f"{r.key}: {r.en}") for r in found]
    if kind == "UnitDissolved" and world.unit(statement["stream"]) is None:
        return [refusal(0, "unknown unit")]
    return []


def check_actor_stream(statement: Mapping[str, Any], world: World) -> list[Refusal]:
    """Refusals of `ActorRegistered` (key statements are the kernel's own)."""
    if statement["type"] != "ActorRegistered":
        return []
    if not _signer_has(world, statement, ADMIN):
        return [refusal(5, "ActorRegistered is signed by ADM")]
    body = statement["body"]
    unit = world.unit(str(body.get("unit")))
    if unit is None:
        return [refusal(0, "unit not registered")]
    wrong = [r for r in body.get("roles", ()) if unit.kind.value not in ROLE_UNIT_KINDS.get(r, frozenset())]
    return [refusal(0, f"role {wrong[0]} is not held in a {unit.kind.value}")] if wrong else []
