"""The vocabulary of the authorisation table (权限表): role codes, role sets, scopes, target kinds, rules.

``api.authz_table`` holds the rules themselves (data) and re-exports everything here, so callers import
from there. Role codes are those of procedures.md §1.3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

ROLES: Mapping[str, str] = {
    "SEC": "支部书记",
    "BCM": "支委委员",
    "BST": "支部工作人员",
    "GBS": "党总支书记",
    "CSEC": "党委书记",
    "CMEM": "党委委员",
    "CST": "党委工作人员",
    "ODL": "组织部门负责人",
    "ODS": "组织部门工作人员",
    "REV": "回头看审核人",
    "APH": "申诉受理人",
    "INS": "检查人员",
    "ADM": "管理员",
}
"""Every role code of procedures.md §1.3 with its Chinese label."""

ALL = frozenset(ROLES)
MEMBER_WRITERS = frozenset({"SEC", "BCM", "BST", "GBS", "CSEC", "CMEM", "CST", "ODL", "ODS", "REV", "APH"})
"""Roles that sign statements on member streams (the domain guards then check the step and level)."""
READERS = MEMBER_WRITERS | {"INS"}
"""Roles that read members' files (INS, REV and APH read within their unit's subtree)."""
AUDITORS = frozenset({"INS", "ADM"})


class Scope(StrEnum):
    """Where an endpoint's target must lie."""

    PUBLIC = "public"
    """No sign-in needed (transparency endpoints: a token when ``public_transparency`` is off)."""
    LEDGER = "ledger"
    """Signed in with an allowed role; the endpoint concerns the whole ledger, not one unit's data."""
    SUBTREE = "subtree"
    """The target must lie in the subtree of the caller's unit (the root administrator has no unit: all)."""


class Target(StrEnum):
    """The kind of stream an endpoint acts on."""

    NONE = "none"
    MEMBER = "member"
    UNIT = "unit"
    ACTOR = "actor"
    EMPTY = "empty"
    """A stream with no statement yet (its scope is given by what the first statement names)."""


@dataclass(frozen=True)
class Rule:
    """One endpoint: its label, scope, and the roles allowed per target kind."""

    method: str
    path: str
    label: str
    scope: Scope
    roles: Mapping[Target, frozenset[str]]
    note: str = ""

    @property
    def key(self) -> str:
        """``METHOD /path``: how routes name their rule."""
        return f"{self.method} {self.path}"

    def allowed(self, target: Target) -> frozenset[str]:
        """The roles allowed on this kind of target (none when the kind does not apply)."""
        return self.roles.get(target, frozenset())


def public(method: str, path: str, label: str, note: str = "") -> Rule:
    """A rule needing no sign-in."""
    return Rule(method, path, label, Scope.PUBLIC, {}, note)
