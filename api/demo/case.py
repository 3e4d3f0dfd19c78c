"""A member stream under construction: stories call `Case.add` as the §7 scenario tests call `Member.add`,
with signers named by role ("SEC" of the member's branch, "CSEC" of its committee, "ODL" of the county…).

Statements are signed here, with the actor's own key, on the stream's running head; they are collected as
`Pending` items and appended later, in recording-date order, by `run.py`. A story is written with the dates
of its scenario; `shift` years are added to every date it names, so one story serves several members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.demo.people import Person
from ledger.statement import GENESIS_PREV, new_statement, sign_statement

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIXED_DATES = frozenset({"birth_date"})
"""Body fields a shift leaves alone (the birth date is encoded in the ID number)."""


class MemberStream(Protocol):
    """What the step builders need of a member stream under construction. The demo's `Case` names signers by
    role ("SEC", "CSEC", "ODL"…); the §7 scenario tests' `Member` (tests/domain/engine_world.py) by person or
    by role, so one builder serves both the demo and the tests that prove its stories valid."""

    @property
    def head(self) -> str:
        """Hash of the stream's last statement."""
        ...

    @property
    def committee(self) -> str:
        """Key of the member's grassroots committee (基层党委)."""
        ...

    @property
    def org_category(self) -> int:
        """The organisation category (组织类别) the member's 失联 is counted under."""
        ...

    def add(self, kind: str, body: dict[str, Any], by: str, on: str, recorded: str | None = None) -> str:
        """Sign and append a statement that must be accepted; its hash."""
        ...

    def id(self, who: str) -> str:
        """The actor id of a signer named by role (or, in the tests, by name)."""
        ...

    def unit(self, key: str | None = None) -> str:
        """A unit's id (the member's branch by default)."""
        ...

    def hashes(self, kind: str) -> list[str]:
        """Hashes of this stream's statements of one type, in order."""
        ...

    def identity(self) -> dict[str, Any]:
        """The person's fields of 党员基本情况登记 (name, and where known sex, birth date, ID number)."""
        ...


@dataclass(frozen=True)
class DemoActor:
    """A demo actor: id, name, unit key, roles and private key."""

    id: str
    name: str
    unit: str
    roles: tuple[str, ...]
    key: Ed25519PrivateKey


@dataclass(frozen=True)
class Pending:
    """A signed statement waiting for its recording date."""

    recorded: str
    statement: dict[str, Any]
    signature: str


@dataclass(frozen=True)
class Entry:
    """A statement of the case as the story wrote it (dates unshifted), with its hash."""

    type: str
    body: dict[str, Any]
    hash: str


def shift_date(day: str, years: int) -> str:
    """`day` moved by whole years (29 February becomes 28 February)."""
    d = dt.date.fromisoformat(day)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:
        return d.replace(year=d.year + years, day=28).isoformat()


def shifted(value: Any, years: int) -> Any:
    """Every ISO date string inside `value` moved by `years`."""
    if not years:
        return value
    if isinstance(value, str):
        return shift_date(value, years) if _DATE.match(value) else value
    if isinstance(value, dict):
        return {k: v if k in FIXED_DATES else shifted(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, years) for v in value]
    return value


def doc(title: str) -> dict[str, str]:
    """A document reference (the demo keeps no files; the digest names the title)."""
    return {
        "sha256": hashlib.sha256(title.encode()).hexdigest(),
        "media_type": "application/pdf",
        "title": title,
    }


@dataclass
class Case:
    """One member's stream: who signs for the member's units, and the statements made so far."""

    origin: str
    stream: str
    person: Person
    branch: str
    committee: str
    general_branch: str | None
    actors: dict[str, DemoActor]
    units: dict[str, str]
    shift: int = 0
    org_category: int = 7
    transfer_to: str = ""
    """The receiving branch of a transfer (PT stories)."""
    out: list[Pending] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    head: str = GENESIS_PREV
    sign: Callable[[dict[str, Any], Ed25519PrivateKey], tuple[str, str]] = sign_statement

    def who(self, role: str) -> DemoActor:
        """The actor holding `role` for this member ("SEC", "CST", "ODL", or an explicit "E2.SEC")."""
        if "." in role:
            return self.actors[role]
        if role in ("SEC", "BCM", "BST"):
            return self.actors[f"{self.branch}.{role}"]
        if role in ("CSEC", "CST"):
            return self.actors[f"{self.committee}.{role}"]
        if role == "GBS" and self.general_branch is not None:
            return self.actors[f"{self.general_branch}.GBS"]
        return self.actors[f"D.{role}"]

    def id(self, role: str) -> str:
        """The actor id of `who(role)`."""
        return self.who(role).id

    def unit(self, key: str | None = None) -> str:
        """A unit's id (the member's branch by default)."""
        return self.units[key or self.branch]

    def identity(self) -> dict[str, Any]:
        """The synthetic person's name, sex, birth date and fake ID number."""
        p = self.person
        return {"name": p.name, "sex": p.sex, "birth_date": p.birth_date, "id_number": p.id_number}

    def add(self, kind: str, body: dict[str, Any], by: str, on: str, recorded: str | None = None) -> str:
        """Sign a statement on the stream's head with the role's key; its hash."""
        actor = self.who(by)
        statement = new_statement(
            ledger=self.origin,
            stream=self.stream,
            seq=len(self.entries) + 1,
            prev=self.head,
            type=kind,
            occurred_at=shift_date(on, self.shift),
            actor=actor.id,
            private_key=actor.key,
            body=shifted(body, self.shift),
        )
        digest, signature = self.sign(statement, actor.key)
        self.out.append(Pending(shift_date(recorded or on, self.shift), statement, signature))
        self.entries.append(Entry(kind, body, digest))
        self.head = digest
        return digest

    def hashes(self, kind: str) -> list[str]:
        """Hashes of this case's statements of one type, in order."""
        return [e.hash for e in self.entries if e.type == kind]

    def entry(self, path: str, step: str) -> Entry:
        """The statement that took a step of a path."""
        return next(e for e in self.entries if e.body.get("ref") == {"path": path, "step": step})

    @property
    def dates(self) -> list[str]:
        """Recording dates of the statements made so far."""
        return [p.recorded for p in self.out]
