"""Organisation units and the levels relative to a member (procedures.md §1.1, §1.2).

Every level is computed from a snapshot of the unit tree at a date t (a statement's `occurred_at`). Unit ids
are the unit streams' uuids as strings, exactly as statements carry them.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain import codes

UnitId = str


class UnitKind(StrEnum):
    """The four unit kinds of §1.1."""

    BRANCH = "branch"
    GENERAL_BRANCH = "general_branch"
    GRASSROOTS_COMMITTEE = "grassroots_committee"
    ORG_DEPARTMENT = "org_department"

    @property
    def label(self) -> str:
        """The Chinese name of the kind (code list `unit_kind`)."""
        return codes.UNIT_KIND.label(self.value)


class AdminLevel(StrEnum):
    """The administrative level of an organisation department, lowest first (§1.1)."""

    COUNTY = "county"
    PREFECTURE = "prefecture"
    PROVINCE = "province"
    CENTRAL = "central"

    @property
    def rank(self) -> int:
        """1 for county up to 4 for central: a parent department must rank strictly higher."""
        return codes.ADMIN_LEVEL_RANK[self.value]

    @property
    def label(self) -> str:
        """The Chinese name of the level (code list `admin_level`)."""
        return codes.ADMIN_LEVEL.label(self.value)


class Level(StrEnum):
    """The level symbols of §1.2 (B … D+), plus three target-relative symbols used by PT, PA and PL.

    The last three are not computed from the member's tree: R is the branch named in a transfer letter,
    A the approving unit of the targeted ◆ step or an ancestor of it, and `=` the level of the step or
    material being remedied [inferred notation].
    """

    B = "B"
    B_CM = "B.cm"
    B_GM = "B.gm"
    GB = "GB"
    C = "C"
    C_REP = "C.rep"
    D = "D"
    D_PLUS = "D+"
    RECEIVING = "R"
    APPROVING = "A"
    REMEDIED = "="

    @property
    def label_zh(self) -> str:
        """The Chinese meaning of the symbol."""
        return LEVEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English meaning of the symbol."""
        return LEVEL_LABELS[self][1]


LEVEL_LABELS: Mapping[Level, tuple[str, str]] = {
    Level.B: ("责任单位（党员所在党支部；支部已撤销时为其上级）", "responsible unit"),
    Level.B_CM: ("B 的委员会会议：支委会 / 总支委员会 / 党委会", "B's committee meeting"),
    Level.B_GM: ("B 的党员大会", "B's general meeting"),
    Level.GB: ("党总支（支部与基层党委之间）", "the general branch between branch and C"),
    Level.C: ("党员所在基层党委", "the member's grassroots committee"),
    Level.C_REP: ("基层党委派员到会指导", "C's representative at a branch meeting"),
    Level.D: ("上一级党委组织部门", "the organisation department one level up"),
    Level.D_PLUS: ("区（县）级或以上党委组织部门", "D or any department above it"),
    Level.RECEIVING: ("介绍信所列接收支部", "the receiving branch named in the letter"),
    Level.APPROVING: ("原处置审批单位或其上级", "the approving unit of the target, or an ancestor"),
    Level.REMEDIED: ("所补步骤或材料原属层级", "the level of the remedied step or material"),
}


@dataclass(frozen=True)
class Unit:
    """One organisation unit in a tree snapshot: its kind, parent, admin level and dissolution date."""

    kind: UnitKind
    parent: UnitId | None = None
    admin_level: AdminLevel | None = None
    dissolved_on: date | None = None

    def dissolved_at(self, t: date) -> bool:
        """True when a `UnitDissolved` dated on or before t exists (the unit signs nothing from then on)."""
        return self.dissolved_on is not None and self.dissolved_on <= t


@dataclass(frozen=True)
class UnitTree:
    """A snapshot of the unit tree: unit id → `Unit`."""

    units: Mapping[UnitId, Unit]

    def __getitem__(self, unit_id: UnitId) -> Unit:
        return self.units[unit_id]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    @functools.cached_property
    def dissolution_dates(self) -> tuple[date, ...]:
        """Every distinct date on which a unit of the tree was dissolved, in order."""
        return tuple(sorted({u.dissolved_on for u in self.units.values() if u.dissolved_on is not None}))

    @functools.cached_property
    def levels_memo(self) -> dict[tuple[UnitId, int], MemberLevels]:
        """`member_levels` answers already computed on this tree (a tree never changes)."""
        return {}

    def ancestors(self, unit_id: UnitId) -> Iterator[UnitId]:
        """The strict ancestors of a unit, nearest first; stops at an unknown parent or a cycle."""
        seen = {unit_id}
        parent = self.units[unit_id].parent
        while parent is not None and parent in self.units and parent not in seen:
            yield parent
            seen.add(parent)
            parent = self.units[parent].parent

    def nearest(self, unit_id: UnitId, kind: UnitKind, t: date) -> UnitId | None:
        """The nearest strict ancestor of `kind` that is not dissolved at t, or None."""
        living = (u for u in self.ancestors(unit_id) if not self.units[u].dissolved_at(t))
        return next((u for u in living if self.units[u].kind is kind), None)


@dataclass(frozen=True)
class MemberLevels:
    """The units each level symbol denotes for one member at one date (§1.2); None where none exists."""

    home: UnitId
    b: UnitId | None
    gb: UnitId | None
    c: UnitId | None
    d: UnitId | None
    d_plus: tuple[UnitId, ...]

    @property
    def b_is_c(self) -> bool:
        """True when the committee itself is responsible: C's reviews of B's acts are then skipped (§1.2)."""
        return self.b is not None and self.b == self.c

    def units(self, level: Level) -> tuple[UnitId, ...]:
        """The units that act at `level` for this member (empty for the target-relative symbols)."""
        by_level: Mapping[Level, tuple[UnitId | None, ...]] = {
            Level.B: (self.b,),
            Level.B_CM: (self.b,),
            Level.B_GM: (self.b,),
            Level.GB: (self.gb,),
            Level.C: (self.c,),
            Level.C_REP: (self.c,),
            Level.D: (self.d,),
            Level.D_PLUS: self.d_plus,
        }
        return tuple(u for u in by_level.get(level, ()) if u is not None)

    def acts_at(self, level: Level, unit: UnitId) -> bool:
        """Whether `unit` is exactly a unit that `level` denotes for this member (guard 7 `wrong-level`)."""
        return unit in self.units(level)


def member_levels(tree: UnitTree, home: UnitId, t: date) -> MemberLevels:
    """B, GB, C, D and D+ for a member whose home branch is `home`, at date t (see `compute_levels`).

    Remembered per tree: the answer changes with t only where a unit of the tree was dissolved, so the key
    is the home and how many dissolution dates lie on or before t.
    """
    key = (home, bisect.bisect_right(tree.dissolution_dates, t))
    found = tree.levels_memo.get(key)
    if found is None:
        found = tree.levels_memo[key] = compute_levels(tree, home, t)
    return found


def compute_levels(tree: UnitTree, home: UnitId, t: date) -> MemberLevels:
    """Compute B, GB, C, D and D+ for a member whose home branch is `home`, at date t (§1.2).

    B is the home branch unless it is dissolved at t, else its nearest living ancestor ([001] 五.2).
    C, D and D+ skip dissolved units the same way [inferred: a dissolved unit signs nothing]. GB is the
    living general branch between home and C, and none when it is B itself (it would review its own act)
    [inferred].
    """
    if home not in tree:
        raise ValueError(f"unknown home unit: {home}")
    chain = [home, *tree.ancestors(home)]
    b = next((u for u in chain if not tree[u].dissolved_at(t)), None)
    c = tree.nearest(home, UnitKind.GRASSROOTS_COMMITTEE, t)
    below_c = chain[: chain.index(c)] if c is not None else chain
    gb = next(
        (u for u in below_c if tree[u].kind is UnitKind.GENERAL_BRANCH and not tree[u].dissolved_at(t)), None
    )
    d = tree.nearest(c, UnitKind.ORG_DEPARTMENT, t) if c is not None else None
    d_plus: tuple[UnitId, ...] = ()
    if d is not None:
        above = (u for u in tree.ancestors(d) if tree[u].kind is UnitKind.ORG_DEPARTMENT)
        d_plus = (d, *(u for u in above if not tree[u].dissolved_at(t)))
    return MemberLevels(home=home, b=b, gb=None if gb == b else gb, c=c, d=d, d_plus=d_plus)


@dataclass(frozen=True)
class RegistrationRefusal:
    """Why a `UnitRegistered` is refused (problem type `validation`, §1.1), in both languages."""

    key: str
    zh: str
    en: str


ALLOWED_PARENTS: Mapping[UnitKind, frozenset[UnitKind]] = {
    UnitKind(kind): frozenset(UnitKind(p) for p in parents)
    for kind, parents in codes.UNIT_PARENT_KINDS.items()
}
"""§1.1 "allowed parent" column (from `domain.codes`); only an org_department may have no parent."""

REQUIRED_ANCESTOR: Mapping[UnitKind, UnitKind] = {
    UnitKind.BRANCH: UnitKind.GRASSROOTS_COMMITTEE,
    UnitKind.GENERAL_BRANCH: UnitKind.GRASSROOTS_COMMITTEE,
    UnitKind.GRASSROOTS_COMMITTEE: UnitKind.ORG_DEPARTMENT,
}
"""§1.1: a branch needs a grassroots_committee ancestor, a committee an org_department ancestor."""

REFUSALS: Mapping[str, tuple[str, str]] = {
    "parent-unknown": ("上级组织未登记", "The parent unit is not registered."),
    "parent-required": ("须指定上级组织", "This kind of unit needs a parent."),
    "parent-kind": ("上级组织类别不符", "This kind of unit may not sit under that parent."),
    "no-committee-ancestor": ("上级中无基层党委", "No grassroots committee above this unit."),
    "no-department-ancestor": ("上级中无党委组织部门", "No organisation department above this unit."),
    "admin-level-missing": ("组织部门须注明行政层级", "An organisation department needs its admin level."),
    "admin-level-not-allowed": (
        "仅组织部门注明行政层级",
        "Only organisation departments have an admin level.",
    ),
    "admin-level-not-higher": (
        "上级组织部门层级须更高",
        "The parent department must be of a strictly higher level.",
    ),
    "parent-dissolved": ("上级组织已撤销", "The parent unit is dissolved."),
}
"""Every refusal reason of `registration_refusals`; the last two keys are [inferred]."""


def registration_refusals(
    tree: UnitTree,
    kind: UnitKind,
    parent: UnitId | None,
    admin_level: AdminLevel | None,
    on: date,
) -> list[RegistrationRefusal]:
    """Every reason to refuse registering a unit of `kind` under `parent` on date `on` (§1.1); [] = accept."""
    if parent is not None and parent not in tree:
        return [_refusal("parent-unknown")]
    is_department = kind is UnitKind.ORG_DEPARTMENT
    parent_unit = tree[parent] if parent is not None else None
    kinds_above = {tree[u].kind for u in ([parent, *tree.ancestors(parent)] if parent is not None else [])}
    parent_level = parent_unit.admin_level if parent_unit is not None else None
    checks = (
        ("parent-required", parent_unit is None and not is_department),
        ("parent-kind", parent_unit is not None and parent_unit.kind not in ALLOWED_PARENTS[kind]),
        (
            "no-committee-ancestor",
            REQUIRED_ANCESTOR.get(kind) is UnitKind.GRASSROOTS_COMMITTEE
            and UnitKind.GRASSROOTS_COMMITTEE not in kinds_above,
        ),
        (
            "no-department-ancestor",
            REQUIRED_ANCESTOR.get(kind) is UnitKind.ORG_DEPARTMENT
            and UnitKind.ORG_DEPARTMENT not in kinds_above,
        ),
        ("admin-level-missing", is_department and admin_level is None),
        ("admin-level-not-allowed", not is_department and admin_level is not None),
        (
            "admin-level-not-higher",
            is_department
            and admin_level is not None
            and parent_unit is not None
            and (parent_level is None or parent_level.rank <= admin_level.rank),
        ),
        ("parent-dissolved", parent_unit is not None and parent_unit.dissolved_at(on)),
    )
    return [_refusal(key) for key, failed in checks if failed]


def _refusal(key: str) -> RegistrationRefusal:
    zh, en = REFUSALS[key]
    return RegistrationRefusal(key=key, zh=zh, en=en)
