"""The hash-chained access log (查阅日志): who read which member's data, in which view, when, from where.

Each row of ``api_access_log`` carries ``prev_hash`` (the previous row's ``hash``; 64 zeros for the first)
and ``hash`` = SHA-256 over the RFC 8785 (JCS) form of the row's other columns, so a row changed, removed
or inserted in the middle breaks the chain at a row ``verify`` names. The log never holds the data read,
only its coordinates: actor, member, the member's unit at the time (for scoped queries) and the view.
Rows are appended under a table lock (PostgreSQL) or the database write lock (SQLite), so concurrent
readers never fork the chain.

A chain alone cannot show that its last rows were deleted: the shorter chain is still valid. So the head
is anchored as transparency logs anchor theirs (DESIGN.md, "The global log and checkpoints"): the ledger
key signs an access-log checkpoint, a C2SP signed note whose text is ``<origin>/access-log``, the size
(the last row's ``position``) and the base64 of the head ``hash`` (32 zero bytes for the empty log), with
every Merkle checkpoint (a hook of the log runner, in its transaction) and on demand. The notes are kept
in ``api_access_log_checkpoints``; ``verify`` checks that the chain still extends each of them and each
note an inspector kept, which catches a deleted tail even when the stored notes were deleted too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger import logrunner, note
from ledger.canonical import canonical
from ledger.errors import LedgerError, NotInitialised
from ledger.logstore import Cursor, LogStore
from ledger.system import LedgerSystem
from ledger.verify import Failure

TABLE = "api_access_log"
CHECKPOINTS = "api_access_log_checkpoints"
GENESIS = "0" * 64
ORIGIN_SUFFIX = "/access-log"
_log = logging.getLogger("ledger.accesslog")
COLUMNS = ("position", "at", "actor", "member", "unit", "view", "client", "prev_hash", "hash")


@dataclass(frozen=True)
class AccessRow:
    """One read of a member's data."""

    position: int
    at: str
    actor: str
    member: str
    unit: str
    view: str
    client: str
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        """SHA-256 (hex) of the JCS form of every column but ``hash``."""
        fields: dict[str, Any] = {name: value for name, value in asdict(self).items() if name != "hash"}
        return hashlib.sha256(canonical(fields)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome of rechecking the chain: the first broken row, if any, and why."""

    rows: int
    head: str
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when every row links to the previous one and hashes to its stored ``hash``."""
        return self.broken_at is None


def create_table(log: LogStore) -> None:
    """Create ``api_access_log`` and the table of its checkpoints if missing (both backends).

    Through ``LogStore.ensure``: two services starting together on a new database both create them, and
    PostgreSQL answers one of two concurrent ``CREATE TABLE IF NOT EXISTS`` with a duplicate type.
    """
    log.ensure(
        [
            "CREATE TABLE IF NOT EXISTS {t}" + TABLE + " (position BIGINT PRIMARY KEY, at TEXT NOT NULL,"
            " actor TEXT NOT NULL, member TEXT NOT NULL, unit TEXT NOT NULL, view TEXT NOT NULL,"
            " client TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS " + TABLE + "_member ON {t}" + TABLE + " (member)",
            "CREATE TABLE IF NOT EXISTS {t}" + CHECKPOINTS + " (size BIGINT PRIMARY KEY, note TEXT NOT NULL)",
        ]
    )


def tables_present(log: LogStore, cursor: Cursor | None = None) -> bool:
    """Whether this database holds an access log with its checkpoint table (made by the service)."""
    if log.postgres:
        query = "SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL AS present"
        params = [log.prefix + TABLE, log.prefix + CHECKPOINTS]
    else:
        query = "SELECT COUNT(*) = 2 AS present FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)"
        params = [TABLE, CHECKPOINTS]
    if cursor is None:
        with log.reading() as own:
            own.execute(log.sql(query), params)
            return bool(own.fetchone()["present"])
    cursor.execute(log.sql(query), params)
    return bool(cursor.fetchone()["present"])


def _row(row: Any) -> AccessRow:
    position, *texts = (row[name] for name in COLUMNS)
    return AccessRow(int(position), *(str(text) for text in texts))


def _lock(log: LogStore, cursor: Cursor) -> None:
    if log.postgres:
        cursor.execute(log.sql("LOCK TABLE {t}" + TABLE + " IN EXCLUSIVE MODE"))
    else:
        log.claim_writer(cursor)


@dataclass(frozen=True)
class Read:
    """One read to log: which member (and its unit at the time) was seen by whom, in which view."""

    member: str
    unit: str
    view: str


def append(
    log: LogStore, *, at: str, actor: str, member: str, unit: str, view: str, client: str
) -> AccessRow:
    """Append one read to the chain and return the stored row."""
    return append_many(log, at=at, actor=actor, client=client, reads=[Read(member, unit, view)])[0]


def append_many(log: LogStore, *, at: str, actor: str, client: str, reads: Iterable[Read]) -> list[AccessRow]:
    """Append several reads by one actor (e.g. the members of a list page) in one transaction."""
    pending = list(reads)
    stored: list[AccessRow] = []
    if not pending:
        return stored
    with log.transaction(commit=True) as cursor:
        _lock(log, cursor)
        position, prev = _head(log, cursor)
        insert = log.sql(
            "INSERT INTO {t}" + TABLE + " (" + ", ".join(COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for read in pending:
            position += 1
            draft = AccessRow(position, at, actor, read.member, read.unit, read.view, client, prev, "")
            row = AccessRow(**{**asdict(draft), "hash": draft.expected_hash()})
            cursor.execute(insert, [getattr(row, name) for name in COLUMNS])
            stored.append(row)
            prev = row.hash
    return stored


def rows(
    log: LogStore, *, member: str | None = None, actor: str | None = None, since: str | None = None
) -> list[AccessRow]:
    """The rows matching every filter given, in chain order (``since`` compares with ``at`` as text)."""
    where, params = [], []
    for column, value, op in (("member", member, "="), ("actor", actor, "="), ("at", since, ">=")):
        if value is not None:
            where.append(f"{column} {op} ?")
            params.append(value)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    with log.reading() as cursor:
        cursor.execute(
            log.sql("SELECT " + ", ".join(COLUMNS) + " FROM {t}" + TABLE + clause + " ORDER BY position"),
            params,
        )
        return [_row(row) for row in cursor.fetchall()]


def check_chain(chain: Iterable[AccessRow]) -> ChainReport:
    """Recheck positions, links and hashes; name the first row that breaks the chain."""
    prev, expected_position, count = GENESIS, 1, 0
    for row in chain:
        count += 1
        if row.position != expected_position:
            return ChainReport(count, prev, expected_position, f"row {expected_position} is missing")
        if row.prev_hash != prev:
            return ChainReport(count, prev, row.position, "prev_hash does not match the previous row's hash")
        if row.expected_hash() != row.hash:
            return ChainReport(count, prev, row.position, "the row's content does not match its hash")
        prev, expected_position = row.hash, expected_position + 1
    return ChainReport(count, prev)


# -- checkpoints: the signed head ----------------------------------------------------------------------


class BadCheckpoint(LedgerError):
    """An access-log checkpoint handed in is not a well-formed signed note of this ledger's access log."""

    code = "bad-checkpoint"
    status = 422
    title_zh = "查阅日志检查点格式不正确"


class ForeignCheckpoint(LedgerError):
    """An access-log checkpoint handed in carries no valid signature by this ledger's key."""

    code = "checkpoint-not-signed-by-ledger"
    status = 422
    title_zh = "查阅日志检查点非本账本密钥签名"


class HeadNotExtended(LedgerError):
    """The log no longer extends its latest checkpoint, so the ledger key will not sign its head."""

    code = "access-log-not-extended"
    status = 409
    title_zh = "查阅日志未延续已签检查点"


def log_origin(ledger_origin: str) -> str:
    """The origin line of the access log's checkpoints: the ledger's origin followed by ``/access-log``."""
    return ledger_origin + ORIGIN_SUFFIX


def checkpoint_body(ledger_origin: str, size: int, head: str) -> str:
    """The note text ``<origin>/access-log\\n<size>\\n<base64 head hash>\\n`` (tlog-checkpoint form)."""
    return note.checkpoint_body(log_origin(ledger_origin), size, bytes.fromhex(head))


def open_checkpoint(text: str | bytes, verifier: note.VerifierKey) -> note.Checkpoint:
    """Check an access-log checkpoint against the ledger's verifier key and return what it signs.

    Raises :class:`ForeignCheckpoint` when no signature by the ledger key verifies, and
    :class:`BadCheckpoint` when the text is malformed or is the checkpoint of another log.
    """
    try:
        return note.parse_checkpoint(text, verifier, origin=log_origin(verifier.name))
    except (note.UnknownKeyError, note.BadSignatureError) as error:
        raise ForeignCheckpoint(f"the access-log checkpoint is refused: {error}") from None
    except note.NoteError as error:
        raise BadCheckpoint(f"the access-log checkpoint is malformed: {error}") from None


def _head(log: LogStore, cursor: Cursor) -> tuple[int, str]:
    cursor.execute(log.sql("SELECT position, hash FROM {t}" + TABLE + " ORDER BY position DESC LIMIT 1"))
    last = cursor.fetchone()
    return (int(last["position"]), str(last["hash"])) if last else (0, GENESIS)


def _extension_failure(checkpoint: note.Checkpoint, size: int, hash_at: Mapping[int, str]) -> str | None:
    """Why a log of ``size`` rows with these hashes does not extend ``checkpoint`` (None if it does)."""
    head = checkpoint.root.hex()
    if checkpoint.size == 0:
        return None if head == GENESIS else "a checkpoint of size 0 must name the genesis hash"
    found = hash_at.get(checkpoint.size)
    if found is None:
        return f"row {checkpoint.size} is gone: the log now ends at row {size}"
    if found != head:
        return f"row {checkpoint.size} has hash {found}, the checkpoint signs {head}"
    return None


def _check_extends_latest(
    log: LogStore, cursor: Cursor, latest: Any, size: int, ledger_origin: str, key: Ed25519PrivateKey
) -> None:
    """Refuse to sign a head that drops rows of the latest kept note: that would vouch for the deletion.

    The note counts only if it verifies with the ledger key; a forged row is left for ``verify`` to name.
    """
    verifier = note.VerifierKey.from_public_key(ledger_origin, key.public_key())
    try:
        signed = open_checkpoint(str(latest["note"]), verifier)
    except LedgerError:
        return
    if signed.size == 0:
        return
    cursor.execute(log.sql("SELECT hash FROM {t}" + TABLE + " WHERE position = ?"), [signed.size])
    found = cursor.fetchone()
    why = _extension_failure(signed, size, {signed.size: str(found["hash"])} if found else {})
    if why is not None:
        raise HeadNotExtended(f"the access log no longer extends its checkpoint of size {signed.size}: {why}")


def _issue(log: LogStore, cursor: Cursor, ledger_origin: str, key: Ed25519PrivateKey) -> str:
    """Sign the current head with the ledger key and keep the note (once per size); return the note."""
    cursor.execute(log.sql("SELECT size, note FROM {t}" + CHECKPOINTS + " ORDER BY size DESC LIMIT 1"))
    latest = cursor.fetchone()
    size, head = _head(log, cursor)  # read second: rows only grow, so a concurrent note is covered
    if latest is not None:
        _check_extends_latest(log, cursor, latest, size, ledger_origin, key)
    text = note.sign_note(checkpoint_body(ledger_origin, size, head), ledger_origin, key)
    cursor.execute(
        log.sql(
            "INSERT INTO {t}" + CHECKPOINTS + " (size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING"
        ),
        [size, text],
    )
    return text


def issue_with_merkle_checkpoint(
    log: LogStore, cursor: Cursor, ledger_origin: str, key: Ed25519PrivateKey
) -> None:
    """The log runner's hook: sign the access log's head with each Merkle checkpoint, in its transaction.

    A database without an access log (no service ever ran on it) is skipped; a head that no longer
    extends the latest checkpoint is logged and left unsigned, so the Merkle log keeps running.
    """
    if not tables_present(log, cursor):
        return
    try:
        _issue(log, cursor, ledger_origin, key)
    except HeadNotExtended as refusal:
        _log.warning("access-log checkpoint not issued: %s", refusal.message)


def issue_checkpoint(system: LedgerSystem) -> str:
    """Sign the access log's current head now (on demand) and return the note; it is also kept."""
    if system.runner is None:
        raise NotInitialised("the ledger key is missing from LEDGER_HOME; run `ledger init`")
    log = system.log
    with log.transaction(commit=True) as cursor:
        log.claim_writer(cursor)
        return _issue(log, cursor, system.ledger.origin, system.runner.signing_key)


def stored_checkpoints(log: LogStore) -> list[tuple[int, str]]:
    """Every kept ``(size, note)``, smallest first."""
    with log.reading() as cursor:
        cursor.execute(log.sql("SELECT size, note FROM {t}" + CHECKPOINTS + " ORDER BY size"))
        return [(int(row["size"]), str(row["note"])) for row in cursor.fetchall()]


if issue_with_merkle_checkpoint not in logrunner.CHECKPOINT_HOOKS:
    logrunner.CHECKPOINT_HOOKS.append(issue_with_merkle_checkpoint)


# -- verification -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointFailure:
    """A checkpoint the log no longer extends, or a kept note that does not verify."""

    size: int
    source: str
    """``issued`` (kept in the database) or ``held`` (handed in by the inspector)."""
    reason: str


@dataclass(frozen=True)
class LogReport:
    """The chain recheck and the checkpoint checks of one verification."""

    chain: ChainReport
    issued: int
    held: int
    failures: tuple[CheckpointFailure, ...]

    @property
    def ok(self) -> bool:
        """True when the chain holds and extends every issued and held checkpoint."""
        return self.chain.ok and not self.failures

    def figures(self) -> dict[str, int]:
        """What was checked: rows, issued checkpoints, held checkpoints."""
        return {"rows": self.chain.rows, "checkpoints": self.issued, "held": self.held}

    def describe(self) -> str:
        """The figures in words, for the CLI's summary line."""
        kept = f", {self.held} kept" if self.held else ""
        return f"access log of {self.chain.rows} rows under {self.issued} issued checkpoints{kept}"


def verify(log: LogStore, verifier: note.VerifierKey, held: Sequence[note.Checkpoint] = ()) -> LogReport:
    """Recheck the whole stored chain and that it extends every kept note and every ``held`` checkpoint.

    ``held`` are notes the inspector kept, already checked with :func:`open_checkpoint`. A database with no
    access log at all is an empty log (its kept notes are gone with it: only held ones can tell).
    """
    present = tables_present(log)
    stored = stored_checkpoints(log) if present else []
    chain = rows(log) if present else []  # read second: rows only grow, so a concurrent note is covered
    report = check_chain(chain)
    size = chain[-1].position if chain else 0
    hash_at = {row.position: row.hash for row in chain}
    failures: list[CheckpointFailure] = []
    for stored_size, text in stored:
        if (why := _kept_note_failure(stored_size, text, verifier, size, hash_at)) is not None:
            failures.append(CheckpointFailure(stored_size, "issued", why))
    for checkpoint in held:
        if (why := _extension_failure(checkpoint, size, hash_at)) is not None:
            failures.append(CheckpointFailure(checkpoint.size, "held", why))
    return LogReport(report, len(stored), len(held), tuple(failures))


def _kept_note_failure(
    kept_size: int, text: str, verifier: note.VerifierKey, size: int, hash_at: Mapping[int, str]
) -> str | None:
    """Why a note kept under ``kept_size`` fails: bad signature or form, another size, or not extended."""
    try:
        checkpoint = open_checkpoint(text, verifier)
    except LedgerError as error:
        return error.message
    if checkpoint.size != kept_size:
        return f"the note kept under size {kept_size} signs size {checkpoint.size}"
    return _extension_failure(checkpoint, size, hash_at)


def ledger_verifier(system: LedgerSystem) -> note.VerifierKey | None:
    """The ledger key as the verifier of its notes, or None when this home has no ledger key."""
    public_key = system.ledger.ledger_public_key
    return None if public_key is None else note.VerifierKey.from_public_key(system.ledger.origin, public_key)


def held_checkpoints(
    verifier: note.VerifierKey | None, kept: str | bytes | None
) -> tuple[note.Checkpoint, ...]:
    """The checkpoint an inspector kept, checked with :func:`open_checkpoint` (none when ``kept`` is None)."""
    if kept is None:
        return ()
    if verifier is None:
        raise NotInitialised(
            "the ledger key is missing from LEDGER_HOME: a kept checkpoint cannot be checked"
        )
    return (open_checkpoint(kept, verifier),)


def ledger_failures(report: LogReport) -> list[Failure]:
    """The report's failures as ``ledger verify`` lists them (its table, its JSON, its exit status)."""
    failures = []
    if not report.chain.ok:
        failures.append(
            Failure("access-log chain", report.chain.reason or "", position=report.chain.broken_at)
        )
    for failure in report.failures:
        what = "issued" if failure.source == "issued" else "kept (--access-log-checkpoint)"
        message = f"{what} checkpoint of size {failure.size}: {failure.reason}"
        failures.append(Failure("access-log checkpoint", message, tree_size=failure.size))
    return failures
