"""A small signed world on a real ledger: a county department, a grassroots committee, a branch,
actors with keys, and members — for tests, benchmarks and demonstrations.

Every statement goes through the same signed append path as real use.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger import keys
from ledger.settings import Settings
from ledger.statement import new_statement, sign_statement
from ledger.store import Receipt
from ledger.system import LedgerSystem, init_ledger, open_ledger

SETUP_DAY = "2026-01-05"
WORK_DAY = "2026-03-14"


@dataclass
class Actor:
    """An actor of the world with its private key."""

    id: str
    key: Ed25519PrivateKey


@dataclass
class World:
    """An initialised ledger with its root administrator and a county → committee → branch tree."""

    settings: Settings
    system: LedgerSystem
    admin: Actor
    units: dict[str, str] = field(default_factory=dict)
    registered: set[str] = field(default_factory=set)
    _secretary: Actor | None = None

    @property
    def origin(self) -> str:
        """The ledger's origin."""
        return self.system.ledger.origin

    def statement(
        self,
        stream: str,
        type: str,
        body: dict[str, Any],
        signer: Actor,
        *,
        occurred_at: str = WORK_DAY,
        seq: int | None = None,
        prev: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """A signed statement extending the stream's current head (or an explicit seq/prev)."""
        head_seq, head_hash = self.head(stream)
        statement = new_statement(
            ledger=self.origin,
            stream=stream,
            seq=head_seq + 1 if seq is None else seq,
            prev=head_hash if prev is None else prev,
            type=type,
            occurred_at=occurred_at,
            actor=signer.id,
            private_key=signer.key,
            body=body,
        )
        _, signature = sign_statement(statement, signer.key)
        return statement, signature

    def head(self, stream: str) -> tuple[int, str]:
        """The stream's current (seq, hash)."""
        state = self.system.ledger.state(uuid.UUID(stream))
        return state.seq, state.head

    def append(self, stream: str, type: str, body: dict[str, Any], signer: Actor, **kw: Any) -> Receipt:
        """Sign and append; the ledger's answer."""
        statement, signature = self.statement(stream, type, body, signer, **kw)
        return self.system.ledger.append(statement, signature)

    def unit(self, name: str, kind: str, parent: str | None, **extra: Any) -> str:
        """Register an organisation unit (signed by the root administrator)."""
        unit_id = str(uuid.uuid4())
        body: dict[str, Any] = {"name": name, "kind": kind, "live_from": SETUP_DAY, **extra}
        if parent is not None:
            body["parent"] = self.units[parent]
        self.append(unit_id, "UnitRegistered", body, self.admin, occurred_at=SETUP_DAY)
        self.units[name] = unit_id
        return unit_id

    def enrol(
        self,
        roles: list[str] | None = None,
        *,
        unit: str = "branch",
        standing: str = "full",
        name: str = "工作人员",
    ) -> Actor:
        """A registered actor with roles in a unit and a fresh enrolled key."""
        key = keys.generate()
        actor = Actor(str(uuid.uuid4()), key)
        register = {"name": name, "unit": self.units[unit], "roles": roles or ["BST"], "standing": standing}
        self.append(actor.id, "ActorRegistered", register, self.admin, occurred_at=SETUP_DAY)
        public = key.public_key()
        enrol = {"actor": actor.id, "key_id": keys.key_id(public), "public_key": keys.public_key_b64(public)}
        self.append(actor.id, "KeyEnrolled", enrol, self.admin, occurred_at=SETUP_DAY)
        return actor

    @property
    def secretary(self) -> Actor:
        """The branch secretary (支部书记), enrolled on first use."""
        if self._secretary is None:
            self._secretary = self.enrol(["SEC"], name="支部书记")
        return self._secretary

    def member(self, name: str = "党员", *, member_type: str = "full") -> str:
        """A member of the branch, registered by its secretary (党员基本情况登记)."""
        member_id = str(uuid.uuid4())
        body: dict[str, Any] = {
            "name": name,
            "member_type": member_type,
            "joined_on": "2010-05-20",
            "home": self.units["branch"],
        }
        if member_type == "full":
            body["full_on"] = "2011-05-20"
        self.append(member_id, "MemberRegistered", body, self.secretary, occurred_at=SETUP_DAY)
        self.registered.add(member_id)
        return member_id

    def participation(self, member: str, signer: Actor, period: str = "2026-01") -> Receipt:
        """A dues payment on a member's file."""
        body = {"kind": "dues", "period": period, "amount_fen": 2000}
        return self.append(member, "ParticipationRecorded", body, signer)


def make_world(settings: Settings, passphrase: str | None = None) -> World:
    """Initialise a ledger and register a county department, a grassroots committee and a branch."""
    fixed = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    result = init_ledger(settings, admin_passphrase=passphrase, clock=lambda: fixed)
    system = open_ledger(settings)
    admin_key = keys.load_private_key(result.admin_key_path, passphrase)
    world = World(settings=settings, system=system, admin=Actor(result.admin_actor, admin_key))
    world.unit("county", "org_department", None, admin_level="county", org_category=1)
    world.unit("committee", "grassroots_committee", "county", org_category=7)
    world.unit("branch", "branch", "committee", org_category=7, has_committee=True)
    return world
