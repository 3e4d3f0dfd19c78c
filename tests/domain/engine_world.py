"""The world of procedures.md §7.0 for the engine tests, and a member-stream builder (pure, no database)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from api.demo.case import doc as doc
from domain.engine import decide, evolve
from domain.member import MemberFile
from domain.registry import RegistryWorld
from domain.settings import DomainSettings

ORIGIN = "ledger.example.org/dangyuan"


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


ADMIN = uid("admin")
UNITS = {
    "Dc": ("org_department", None, "prefecture"),
    "D": ("org_department", "Dc", "county"),
    "C1": ("grassroots_committee", "D", None),
    "B1": ("branch", "C1", None),
    "B2": ("branch", "C1", None),
    "C2": ("grassroots_committee", "D", None),
    "GB1": ("general_branch", "C2", None),
    "B3": ("branch", "GB1", None),
    "C3": ("grassroots_committee", "D", None),
    "B4": ("branch", "C3", None),
}
ACTORS = {
    "周明": ("B1", "SEC", "full"),
    "郑强": ("B1", "BCM", "full"),
    "吴芳": ("B1", "BST", "full"),
    "钱丽": ("B1", "BST", "probationary"),
    "邱林": ("B2", "SEC", "full"),
    "孙波": ("C1", "CSEC", "full"),
    "李静": ("C1", "CST", "full"),
    "宋青": ("C2", "CSEC", "full"),
    "杜鹏": ("GB1", "GBS", "full"),
    "许文": ("B3", "SEC", "full"),
    "潘越": ("B4", "SEC", "full"),
    "陈刚": ("D", "ODL", "full"),
    "何敏": ("D", "ODS", "full"),
    "冯涛": ("D", "REV", "full"),
    "蒋华": ("D", "APH", "full"),
    "苗青": ("Dc", "APH", "full"),
}
U = {name: uid(f"unit:{name}") for name in UNITS}
A = {name: uid(f"actor:{name}") for name in ACTORS}
ROLES = frozenset(role for _, role, _ in ACTORS.values())


def holder(unit: str, role: str) -> str:
    """Who signs as `role` for a member of `unit`: the first full member holding it there or in the nearest
    unit above (so "SEC" of B1 is 周明, "CSEC" 孙波, "ODL" 陈刚), as the demo resolves its roles."""
    key: str | None = unit
    while key is not None:
        for name, (at, held, standing) in ACTORS.items():
            if (at, held, standing) == (key, role, "full"):
                return name
        key = UNITS[key][1]
    raise KeyError(f"no full member holds {role} at or above {unit}")


def committee_of(unit: str) -> str:
    """The grassroots committee (基层党委) a unit belongs to."""
    key: str | None = unit
    while key is not None and UNITS[key][0] != "grassroots_committee":
        key = UNITS[key][1]
    if key is None:
        raise KeyError(f"{unit} is under no grassroots committee")
    return key


def digest(statement: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(statement, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def stmt(
    stream: str, seq: int, prev: str, kind: str, body: dict[str, Any], actor: str, on: str
) -> dict[str, Any]:
    return {"v": 1, "ledger": ORIGIN, "stream": stream, "seq": seq, "prev": prev, "type": kind,
            "occurred_at": on, "actor": actor, "key": "0" * 16, "body": body}  # fmt: skip


def build_world(dissolve_b2: bool = True) -> RegistryWorld:
    """The §7.0 world: units live from 2021-01-01, actors registered 2021-01-01, B2 dissolved 2023-06-30."""
    world = RegistryWorld()
    world = evolve(
        world,
        stmt(ADMIN, 1, "0" * 64, "KeyEnrolled", {"actor": ADMIN, "roles": ["ADM"]}, ADMIN, "2021-01-01"),
        "",
        "",
    )
    for name, (kind, parent, level) in UNITS.items():
        body: dict[str, Any] = {"name": name, "kind": kind, "live_from": "2021-01-01", "has_committee": True}
        if parent:
            body["parent"] = U[parent]
        if level:
            body["admin_level"] = level
        world = evolve(world, stmt(U[name], 1, "0" * 64, "UnitRegistered", body, ADMIN, "2021-01-01"), "", "")
    for name, (unit, role, standing) in ACTORS.items():
        body = {"name": name, "unit": U[unit], "roles": [role], "standing": standing}
        world = evolve(
            world, stmt(A[name], 1, "0" * 64, "ActorRegistered", body, ADMIN, "2021-01-01"), "", ""
        )
    if dissolve_b2:
        world = evolve(
            world, stmt(U["B2"], 2, "x", "UnitDissolved", {"successor": U["C1"]}, ADMIN, "2023-06-30"), "", ""
        )
    return world


WORLD = build_world()


class Refused(AssertionError):
    """A statement the test expected to be accepted was refused."""


DRIVER: Any = None
"""When set (tests/domain/conftest.py), stories run through a real ledger instead of the pure engine."""


@dataclass
class Member:
    """One member stream under construction: `add` must be accepted, `try_` returns the refusal codes.

    Signers are named by person ("周明") or, as in the demo's stories, by role ("SEC" of `branch`, "CSEC"
    of its committee, "ODL" of the county); it is the `MemberStream` the demo's step builders take.
    """

    name: str
    settings: DomainSettings = field(default_factory=DomainSettings)
    world: RegistryWorld = WORLD
    file: MemberFile = field(default_factory=MemberFile)
    seq: int = 0
    head: str = "0" * 64
    driver: Any = field(default=None, compare=False)
    ledger_stream: str = ""
    branch: str = "B1"
    org_category: int = 7

    def __post_init__(self) -> None:
        if self.driver is None and DRIVER is not None and self.world is WORLD and not self.seq:
            self.driver = DRIVER
            self.ledger_stream = str(uuid.uuid4())

    @property
    def stream(self) -> str:
        return self.ledger_stream or uid(f"member:{self.name}")

    @property
    def committee(self) -> str:
        """Key of the member's grassroots committee."""
        return committee_of(self.branch)

    def id(self, who: str) -> str:
        """The actor id of a person, of the holder of a role for this member, or `who` itself (an id)."""
        if who in A:
            return A[who]
        return A[holder(self.branch, who)] if who in ROLES else who

    def unit(self, key: str | None = None) -> str:
        """A unit's id (the member's branch by default)."""
        return U[key or self.branch]

    def hashes(self, kind: str) -> list[str]:
        """Hashes of this stream's statements of one type, in order."""
        return [e.hash for e in self.file.of_type(kind)]

    def identity(self) -> dict[str, Any]:
        """The §7 world knows its members by name only."""
        return {"name": self.name}

    def statement(self, kind: str, body: dict[str, Any], by: str, on: str) -> dict[str, Any]:
        return stmt(self.stream, self.seq + 1, self.head, kind, body, self.id(by), on)

    def _on_ledger(
        self, kind: str, body: dict[str, Any], by: str, on: str, recorded: str | None,
        settings: DomainSettings | None, dry: bool,
    ) -> tuple[str | None, list[str]]:  # fmt: skip
        digest_, codes = self.driver.attempt(
            self.stream, kind, body, self.id(by), on, recorded, settings or self.settings, dry=dry
        )
        if digest_ is not None and not dry:
            self.file, self.seq, self.head = self.driver.member_file(self.stream)
        return digest_, codes

    def try_(self, kind: str, body: dict[str, Any], by: str, on: str, recorded: str | None = None,
             settings: DomainSettings | None = None) -> list[str]:  # fmt: skip
        if self.driver is not None:
            return self._on_ledger(kind, body, by, on, recorded, settings, dry=True)[1]
        st = self.statement(kind, body, by, on)
        result = decide(
            self.file,
            st,
            digest(st),
            f"{recorded or on}T08:00:00.000000Z",
            self.world,
            settings or self.settings,
        )
        return [r.code for r in result.refusals]

    def add(self, kind: str, body: dict[str, Any], by: str, on: str, recorded: str | None = None,
            settings: DomainSettings | None = None) -> str:  # fmt: skip
        if self.driver is not None:
            digest_, codes = self._on_ledger(kind, body, by, on, recorded, settings, dry=False)
            if digest_ is None:
                raise Refused(f"{kind} {body.get('ref', '')} refused on the ledger: {codes}")
            return digest_
        st = self.statement(kind, body, by, on)
        h = digest(st)
        result = decide(
            self.file, st, h, f"{recorded or on}T08:00:00.000000Z", self.world, settings or self.settings
        )
        if result.refusals:
            raise Refused(
                f"{kind} {body.get('ref', '')} refused: {[(r.code, r.detail) for r in result.refusals]}"
            )
        self.file, self.seq, self.head = result.state, self.seq + 1, h
        return h

    def fork(self) -> Member:
        """A pure copy from here on (a ledger stream cannot branch); it keeps the stream id and hashes."""
        return Member(self.name, self.settings, self.world, self.file, self.seq, self.head, None,
                      self.ledger_stream, self.branch, self.org_category)  # fmt: skip
