"""A world with two disjoint subtrees for authorisation tests, one actor per role, and targets per actor.

county → committee → branch (and committee → gb → gbranch) is the home subtree; county2 → committee2 →
branch2 is outside every home actor's subtree. Each role is held where procedures.md §1.3 puts it, except
INS and ADM, placed in the committee so that something lies outside their subtree too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from api.authz_table import ROLES
from ledger.sandbox import SETUP_DAY, Actor, World

PLACES = {
    "SEC": "branch",
    "BCM": "branch",
    "BST": "branch",
    "GBS": "gb",
    "CSEC": "committee",
    "CMEM": "committee",
    "CST": "committee",
    "ODL": "county",
    "ODS": "county",
    "REV": "committee",
    "APH": "committee",
    "INS": "committee",
    "ADM": "committee",
}
BRANCH_UNDER = {"branch": "branch", "gb": "gbranch", "committee": "branch", "county": "branch"}
"""A branch inside each actor unit's subtree (where its in-scope member lives)."""


@dataclass
class AuthzWorld:
    """The world, the actor of each role, and the members by branch name."""

    world: World
    actors: dict[str, Actor] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    outsider: Actor | None = None

    def unit(self, name: str) -> str:
        """A unit's id by name."""
        return self.world.units[name]

    def inside(self, role: str) -> dict[str, str]:
        """In-scope targets of a role's actor: a member, its unit, itself, and a branch for new members."""
        place = PLACES[role]
        branch = BRANCH_UNDER[place]
        return {
            "member": self.members[branch],
            "unit": self.unit(place),
            "actor": self.actors[role].id,
            "branch": self.unit(branch),
        }

    def outside(self) -> dict[str, str]:
        """Targets outside every home actor's subtree."""
        assert self.outsider is not None
        return {
            "member": self.members["branch2"],
            "unit": self.unit("branch2"),
            "actor": self.outsider.id,
            "branch": self.unit("branch2"),
        }


def register_member(world: World, branch: str, secretary: Actor, name: str = "党员") -> str:
    """A full member of ``branch``, registered by that branch's secretary."""
    member = str(uuid.uuid4())
    body: dict[str, Any] = {
        "name": name,
        "member_type": "full",
        "joined_on": "2010-05-20",
        "full_on": "2011-05-20",
        "home": world.units[branch],
    }
    world.append(member, "MemberRegistered", body, secretary, occurred_at=SETUP_DAY)
    return member


def build(world: World) -> AuthzWorld:
    """Extend the sandbox world with the second subtree, a general branch, role actors and members."""
    world.unit("gb", "general_branch", "committee")
    world.unit("gbranch", "branch", "gb", org_category=7, has_committee=True)
    world.unit("county2", "org_department", None, admin_level="county", org_category=1)
    world.unit("committee2", "grassroots_committee", "county2", org_category=7)
    world.unit("branch2", "branch", "committee2", org_category=7, has_committee=True)
    built = AuthzWorld(world)
    for role in ROLES:
        built.actors[role] = world.enrol([role], unit=PLACES[role], name=f"{role} 人员")
    built.members["branch"] = register_member(world, "branch", built.actors["SEC"])
    gb_secretary = world.enrol(["SEC"], unit="gbranch", name="支部书记")
    built.members["gbranch"] = register_member(world, "gbranch", gb_secretary)
    built.outsider = world.enrol(["SEC"], unit="branch2", name="外单位书记")
    built.members["branch2"] = register_member(world, "branch2", built.outsider)
    return built
