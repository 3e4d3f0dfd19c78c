"""A small world for kernel tests: an initialised ledger, its root administrator, and signing helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger import keys
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, new_statement, sign_statement
from ledger.store import Receipt
from ledger.system import LedgerSystem, init_ledger, open_ledger


@dataclass
class Actor:
    """An actor of the test world with its private key."""

    id: str
    key: Ed25519PrivateKey


@dataclass
class World:
    """An initialised ledger with its root administrator."""

    settings: Settings
    system: LedgerSystem
    admin: Actor
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return self.system.ledger.origin

    def statement(
        self,
        stream: str,
        type: str,
        body: dict[str, Any],
        signer: Actor,
        *,
        occurred_at: str = "2026-03-14",
        seq: int | None = None,
        prev: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """A signed statement extending the stream's known head (or an explicit seq/prev)."""
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
        state = self.system.ledger.state(uuid.UUID(stream))
        return state.seq, state.head

    def append(self, stream: str, type: str, body: dict[str, Any], signer: Actor, **kw: Any) -> Receipt:
        """Sign and append; the ledger's answer."""
        statement, signature = self.statement(stream, type, body, signer, **kw)
        return self.system.ledger.append(statement, signature)

    def enrol(self, roles: list[str] | None = None, actor_id: str | None = None) -> Actor:
        """A new actor with a fresh key, enrolled by the root administrator."""
        key = keys.generate()
        actor = Actor(actor_id or str(uuid.uuid4()), key)
        public = key.public_key()
        body: dict[str, Any] = {
            "actor": actor.id,
            "key_id": keys.key_id(public),
            "public_key": keys.public_key_b64(public),
        }
        if roles is not None:
            body["roles"] = roles
        self.append(actor.id, "KeyEnrolled", body, self.admin)
        return actor

    def participation(self, member: str, signer: Actor, period: str = "2026-01") -> Receipt:
        """A simple member-stream statement (a dues payment)."""
        return self.append(
            member, "ParticipationRecorded", {"kind": "dues", "period": period, "amount_fen": 2000}, signer
        )


def make_world(settings: Settings, passphrase: str | None = None) -> World:
    """Initialise a ledger for the settings and open it."""
    fixed = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
    result = init_ledger(settings, admin_passphrase=passphrase, clock=lambda: fixed)
    system = open_ledger(settings)
    admin_key = keys.load_private_key(result.admin_key_path, passphrase)
    return World(settings=settings, system=system, admin=Actor(result.admin_actor, admin_key))


GENESIS = GENESIS_PREV
