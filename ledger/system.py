"""Opening a ledger from its settings, and creating one (``ledger init``).

Assembles the event store, the Merkle log tables and the log runner over one database, with the
ledger key from ``LEDGER_HOME``. Every entry point (CLI, HTTP service, tests, benchmarks) opens it here.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.cryptography import AESCipher

from ledger import keys, note
from ledger.attachments import AttachmentStore
from ledger.enrolment import ADMINISTRATOR, KEY_ENROLLED, ledger_actor_id
from ledger.errors import NotInitialised
from ledger.logrunner import LogRunner
from ledger.logstore import LogStore
from ledger.settings import CIPHER_KEY_FILE, ORIGIN_FILE, Settings, SettingsError
from ledger.statement import GENESIS_PREV, new_statement, sign_statement
from ledger.store import Clock, Ledger

ADMIN_KEY_FILE = "keys/root-admin.pem"
ADMIN_ID_FILE = "keys/root-admin.id"


@dataclass
class LedgerSystem:
    """An open ledger: the store that accepts statements, its log, and (with the key) its runner."""

    settings: Settings
    ledger: Ledger
    log: LogStore
    runner: LogRunner | None
    attachments: AttachmentStore
    read_models: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The projection objects opened over this ledger, by name (``projections.registry.projection``).

    Kept here so that every read of this open ledger finds them: each projection creates its tables once,
    and remembers how far it has read the log, instead of each read building new objects."""
    read_models_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    """Guards ``read_models`` while a projection object is opened (reads run on several threads)."""

    def close(self) -> None:
        """Release connections."""
        self.ledger.close()

    def bring_log_up_to_date(self) -> int:
        """Turn every stored statement into a leaf and sign a checkpoint covering it."""
        if self.runner is None:
            raise NotInitialised("the ledger key is missing from LEDGER_HOME; run `ledger init`")
        return self.runner.catch_up()

    def verifier_key(self) -> str:
        """The ledger's signed-note verifier key, ``<origin>+<hash>+<base64 key>``."""
        return note.VerifierKey.from_public_key(self.ledger.origin, self._public_key()).encode()

    def _public_key(self) -> Ed25519PublicKey:
        if self.ledger.ledger_public_key is None:
            raise NotInitialised("the ledger key is missing from LEDGER_HOME; run `ledger init`")
        return self.ledger.ledger_public_key


def load_ledger_key(settings: Settings, passphrase: str | None = None) -> Ed25519PrivateKey | None:
    """The ledger's private key, or None when this home has none yet."""
    if not settings.ledger_key_path.exists():
        return None
    return keys.load_private_key(settings.ledger_key_path, passphrase)


def open_ledger(settings: Settings | None = None, *, clock: Clock | None = None) -> LedgerSystem:
    """Open the ledger the settings name (the database must be reachable; tables are created if missing)."""
    settings = settings or Settings()
    private_key = load_ledger_key(settings)
    public_key = private_key.public_key() if private_key is not None else None
    ledger = Ledger(
        settings.persistence_env(),
        origin=settings.resolved_origin(),
        ledger_public_key=public_key,
        domain_settings=settings.domain,
        clock=clock,
    )
    log = ledger.tables
    runner = LogRunner(ledger, log, private_key) if private_key is not None else None
    attachments = AttachmentStore(log, ledger.app.mapper.cipher)
    return LedgerSystem(settings=settings, ledger=ledger, log=log, runner=runner, attachments=attachments)


@dataclass(frozen=True)
class InitResult:
    """What ``ledger init`` made."""

    origin: str
    verifier_key: str
    admin_actor: str
    admin_key_path: Path
    created: bool


def init_ledger(
    settings: Settings,
    *,
    origin: str | None = None,
    admin_name: str = "根管理员",
    admin_passphrase: str | None = None,
    admin_actor: str | None = None,
    clock: Clock | None = None,
) -> InitResult:
    """Create the ledger key, fix the origin, make the cipher key (PostgreSQL), enrol the root administrator.

    The root administrator's key is enrolled by the genesis statement, signed with the ledger key.
    Running it again on an initialised home changes nothing and reports what exists.
    """
    home = settings.home
    (home / "keys").mkdir(parents=True, exist_ok=True)
    origin_file = home / ORIGIN_FILE
    if settings.ledger_key_path.exists() and origin_file.exists():
        system = open_ledger(settings, clock=clock)
        try:
            return InitResult(
                origin=system.ledger.origin,
                verifier_key=system.verifier_key(),
                admin_actor=(home / ADMIN_ID_FILE).read_text(encoding="ascii").strip(),
                admin_key_path=home / ADMIN_KEY_FILE,
                created=False,
            )
        finally:
            system.close()
    chosen = origin or settings.origin or settings.resolved_origin()
    if not note.is_valid_key_name(chosen):
        raise SettingsError(f"origin {chosen!r} must be non-empty without spaces or '+'")
    ledger_key = keys.generate()
    keys.save_private_key(ledger_key, settings.ledger_key_path, None)
    origin_file.write_text(chosen + "\n", encoding="utf-8")
    if settings.backend == "postgres" and settings.resolved_cipher_key() is None:
        cipher_file = home / CIPHER_KEY_FILE
        cipher_file.write_text(AESCipher.create_key(32) + "\n", encoding="ascii")
        cipher_file.chmod(0o600)
    settings = settings.model_copy(update={"origin": chosen})
    admin_key = keys.generate()
    admin_key_path = home / ADMIN_KEY_FILE
    keys.save_private_key(admin_key, admin_key_path, admin_passphrase)
    admin_actor = admin_actor or str(uuid.uuid4())
    (home / ADMIN_ID_FILE).write_text(admin_actor + "\n", encoding="ascii")

    system = open_ledger(settings, clock=clock)
    try:
        today = (clock or (lambda: datetime.now(UTC)))().date().isoformat()
        admin_public = admin_key.public_key()
        genesis = new_statement(
            ledger=chosen,
            stream=admin_actor,
            seq=1,
            prev=GENESIS_PREV,
            type=KEY_ENROLLED,
            occurred_at=today,
            actor=ledger_actor_id(chosen),
            private_key=ledger_key,
            body={
                "actor": admin_actor,
                "key_id": keys.key_id(admin_public),
                "public_key": keys.public_key_b64(admin_public),
                "name": admin_name,
                "roles": [ADMINISTRATOR],
            },
        )
        _, signature = sign_statement(genesis, ledger_key)
        system.ledger.append(genesis, signature)
        system.bring_log_up_to_date()
        return InitResult(
            origin=chosen,
            verifier_key=system.verifier_key(),
            admin_actor=admin_actor,
            admin_key_path=admin_key_path,
            created=True,
        )
    finally:
        system.close()
