"""Runs the §7 scenario stories on a real ledger (SQLite or PostgreSQL) instead of the pure engine.

The §7.0 world is registered once per backend with a key per actor; every statement of a story is
re-enveloped with its actor's real key id, signed, and appended through the ledger's full append path
(signature, chain, body schema, domain guards) with the clock set to the story's recording date. The
member file the story inspects is the one the ledger keeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.member import MemberFile
from domain.settings import DomainSettings
from ledger import keys
from ledger.errors import GuardRefused, LedgerError
from ledger.rules import DomainGate
from ledger.settings import Settings
from ledger.statement import new_statement, sign_statement
from ledger.system import LedgerSystem, init_ledger, open_ledger
from tests.domain.engine_world import ACTORS, ADMIN, UNITS, A, U

SETUP = "2021-01-01"


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T08:00:00+00:00")


class LedgerDriver:
    """The §7.0 world on a real ledger, and appends on behalf of its actors."""

    def __init__(self, settings: Settings) -> None:
        init_ledger(settings, admin_actor=ADMIN, clock=lambda: _at(SETUP))
        self.system: LedgerSystem = open_ledger(settings)
        self.keys: dict[str, Ed25519PrivateKey] = {
            ADMIN: keys.load_private_key(settings.home / "keys" / "root-admin.pem", None)
        }
        self.default_gate = self.system.ledger.gate
        with self.clock(SETUP):
            for name, (kind, parent, level) in UNITS.items():
                body: dict[str, Any] = {"name": name, "kind": kind, "live_from": SETUP, "has_committee": True}
                if parent:
                    body["parent"] = U[parent]
                if level:
                    body["admin_level"] = level
                self.append(U[name], "UnitRegistered", body, ADMIN, SETUP)
            for name, (unit, role, standing) in ACTORS.items():
                key = keys.generate()
                self.keys[A[name]] = key
                body = {"name": name, "unit": U[unit], "roles": [role], "standing": standing}
                self.append(A[name], "ActorRegistered", body, ADMIN, SETUP)
                public = key.public_key()
                enrol = {
                    "actor": A[name],
                    "key_id": keys.key_id(public),
                    "public_key": keys.public_key_b64(public),
                }
                self.append(A[name], "KeyEnrolled", enrol, ADMIN, SETUP)
        with self.clock("2023-06-30"):
            self.append(U["B2"], "UnitDissolved", {"successor": U["C1"]}, ADMIN, "2023-06-30")

    @contextmanager
    def clock(self, day: str) -> Iterator[None]:
        """Record as if it were ``day`` (the ledger's clock is the one thing tests may set)."""
        ledger = self.system.ledger
        previous = ledger.clock
        ledger.clock = lambda: _at(day)
        try:
            yield
        finally:
            ledger.clock = previous

    def append(
        self, stream: str, kind: str, body: dict[str, Any], actor: str, on: str, *, dry: bool = False
    ) -> str:
        """Sign with the actor's key and append on the stream's head (or only check it); the hash."""
        state = self.system.ledger.state(uuid.UUID(stream))
        key = self.keys[actor]
        statement = new_statement(
            ledger=self.system.ledger.origin,
            stream=stream,
            seq=state.seq + 1,
            prev=state.head,
            type=kind,
            occurred_at=on,
            actor=actor,
            private_key=key,
            body=body,
        )
        digest, signature = sign_statement(statement, key)
        if dry:
            self.system.ledger.dry_run([(statement, signature)])
            return digest
        return self.system.ledger.append(statement, signature).hash

    def attempt(
        self, stream: str, kind: str, body: dict[str, Any], actor: str, on: str, recorded: str | None,
        settings: DomainSettings | None, *, dry: bool = False,
    ) -> tuple[str | None, list[str]]:  # fmt: skip
        """Append one story statement: (hash, []) when accepted, (None, refusal codes) when refused."""
        gate = self.system.ledger.gate
        if settings is not None and settings != gate.settings:
            self.system.ledger.gate = DomainGate(settings)
        try:
            with self.clock(recorded or on):
                return self.append(stream, kind, body, actor, on, dry=dry), []
        except GuardRefused as refused:
            return None, list(refused.details["failures"])
        except LedgerError as refused:
            return None, [refused.code]
        finally:
            self.system.ledger.gate = self.default_gate

    def member_file(self, stream: str) -> tuple[MemberFile, int, str]:
        """The member file, seq and head the ledger holds for a stream."""
        state = self.system.ledger.state(uuid.UUID(stream))
        return state.member or MemberFile(), state.seq, state.head

    def close(self) -> None:
        """Release connections."""
        self.system.close()


def new_stream() -> str:
    """A fresh member stream id (stories reuse names; streams on one ledger must not collide)."""
    return str(uuid.uuid4())
