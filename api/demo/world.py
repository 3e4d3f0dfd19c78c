"""The demo's organisation tree and actors: a county organisation department (under a city one, for 复查),
four grassroots committees (a university, a state-owned enterprise, a street community, a village), their
branches (the university's first two under a general branch), and the people who sign for each unit.

Everything here is data; `run.py` registers it through the ledger's signed append path.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_FROM = "2021-01-01"
"""The day the units start keeping live records; paper records before it are entered as 补录."""


@dataclass(frozen=True)
class UnitSpec:
    """One organisation unit: key, Chinese name, kind, parent key and the extra body fields."""

    key: str
    name: str
    kind: str
    parent: str | None
    admin_level: str | None = None
    org_category: int | None = None


@dataclass(frozen=True)
class Committee:
    """A grassroots committee with its branches (and the general branch some of them sit under)."""

    key: str
    name: str
    org_category: int
    branches: tuple[tuple[str, str], ...]
    general_branch: tuple[str, str, tuple[str, ...]] | None = None
    """(key, name, keys of the branches under it)."""


COMMITTEES = (
    Committee(
        "U",
        "演示大学党委",
        5,
        (("U1", "计算机学院教工第一党支部"), ("U2", "计算机学院学生党支部"), ("U3", "机关第一党支部")),
        ("UG", "计算机学院党总支", ("U1", "U2")),
    ),
    Committee("E", "演示能源集团有限公司党委", 1, (("E1", "生产运营部党支部"), ("E2", "销售公司党支部"))),
    Committee("S", "演示街道党工委", 7, (("S1", "东街社区党支部"), ("S2", "西苑社区党支部"))),
    Committee("V", "演示村党委", 3, (("V1", "演示村第一党支部"), ("V2", "演示村第二党支部"))),
)
"""The four grassroots committees and their branches."""

DIRECT_BRANCHES = ("U3", "E1", "E2", "S1", "S2", "V1", "V2")
"""Branches directly under their committee: every disposition path runs there."""
GB_BRANCHES = ("U1", "U2")
"""Branches under the general branch: P1 with the general branch's review, and members being searched."""


def unit_specs() -> list[UnitSpec]:
    """Every unit, parents before children."""
    units = [
        UnitSpec("Dc", "演示市委组织部", "org_department", None, admin_level="prefecture"),
        UnitSpec("D", "演示县委组织部", "org_department", "Dc", admin_level="county"),
    ]
    for c in COMMITTEES:
        units.append(UnitSpec(c.key, c.name, "grassroots_committee", "D", org_category=c.org_category))
        under: dict[str, str] = {}
        if c.general_branch is not None:
            gb_key, gb_name, members = c.general_branch
            units.append(UnitSpec(gb_key, gb_name, "general_branch", c.key, org_category=c.org_category))
            under = dict.fromkeys(members, gb_key)
        for key, name in c.branches:
            units.append(UnitSpec(key, name, "branch", under.get(key, c.key), org_category=c.org_category))
    return units


def committee_of(branch: str) -> Committee:
    """The grassroots committee a branch belongs to."""
    return next(c for c in COMMITTEES if any(key == branch for key, _ in c.branches))


@dataclass(frozen=True)
class ActorSpec:
    """One person who signs: key (unit key + role), name, unit key, roles, standing."""

    key: str
    name: str
    unit: str
    roles: tuple[str, ...]
    standing: str = "full"


BRANCH_ROLES = (("SEC", "支部书记"), ("BCM", "支部委员"), ("BST", "组织委员"))
COMMITTEE_ROLES = (("CSEC", "党委书记"), ("CST", "组织员"))
COUNTY_ROLES = (("ODL", "部长"), ("ODS", "组织科干部"), ("REV", "回头看审核员"), ("APH", "申诉处理干部"))


def actor_specs(names: list[str]) -> list[ActorSpec]:
    """Every actor; `names` supplies one synthetic person name per actor, in order."""
    wanted: list[tuple[str, str, tuple[str, ...], str]] = [("Dc.APH", "Dc", ("APH",), "申诉处理干部")]
    wanted += [(f"D.{role}", "D", (role,), label) for role, label in COUNTY_ROLES]
    for c in COMMITTEES:
        wanted += [(f"{c.key}.{role}", c.key, (role,), label) for role, label in COMMITTEE_ROLES]
        if c.general_branch is not None:
            wanted.append((f"{c.general_branch[0]}.GBS", c.general_branch[0], ("GBS",), "总支书记"))
        for key, _ in c.branches:
            wanted += [(f"{key}.{role}", key, (role,), label) for role, label in BRANCH_ROLES]
    wanted.append(("D.INS", "D", ("INS",), "检查人员"))  # last, so every other actor keeps its name
    return [ActorSpec(key, f"{names[i]}", unit, roles) for i, (key, unit, roles, _label) in enumerate(wanted)]


def role_label(role: str) -> str:
    """The Chinese title of a role, for the keystore index."""
    table = dict(BRANCH_ROLES + COMMITTEE_ROLES + COUNTY_ROLES + (("GBS", "总支书记"), ("INS", "检查人员")))
    return table.get(role, role)
