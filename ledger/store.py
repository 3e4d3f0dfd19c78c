"""The event store: accepts signed statements onto per-stream chains, atomically, on SQLite or PostgreSQL.

Appending checks, in order: the envelope, the ledger origin, canonical form, the key (enrolled for the actor,
not revoked), the signature, the stream head (``stale-head``), the body, and the kernel and domain rules.
Only then is the statement stored, with the server's ``recorded_at``; a conflicting concurrent append is
caught by the database's unique (stream, seq) constraint and reported as ``stale-head`` as well.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from typing import Any, Protocol, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.application import Application
from eventsourcing.persistence import (
    IntegrityError,
    InternalError,
    MapperDeserialisationError,
    RecordConflictError,
)

from domain.engine import evolve as evolve_domain
from domain.engine import stream_kind
from domain.member import MemberFile
from domain.registry import RegistryWorld
from domain.settings import DomainSettings
from ledger.bodies import validate_body
from ledger.enrolment import (
    KEY_ENROLLED,
    KEY_REVOKED,
    KernelState,
    check_key_statement,
    evolve_kernel,
    ledger_actor_id,
)
from ledger.errors import (
    AlreadyRecorded,
    BadSignature,
    LedgerError,
    NotFound,
    RevokedKey,
    StaleHead,
    StepNotAllowed,
    UnknownKey,
    ValidationFailed,
    WrongLedger,
)
from ledger.events import StatementRecorded
from ledger.keys import key_id, verify_statement_signature
from ledger.logstore import LogStore
from ledger.rules import DomainGate
from ledger.statement import GENESIS_PREV, parse_statement, statement_bytes
from ledger.timefmt import format_recorded_at

Clock = Callable[[], datetime]
STATE_CACHE_SIZE = 20_000
MAX_RETRIES = 3
AHEAD_CHUNK = 256
"""Signatures sent to a worker process at a time by ``Ledger.preverify``."""
AHEAD_LIMIT = 500_000
"""At most this many signature checks done ahead wait for their statements (memory bound)."""
BAD_SIGNATURE = "the signature does not verify over the statement hash with the named key"


@dataclass(frozen=True)
class Receipt:
    """What the ledger answers for an accepted statement."""

    stream: str
    seq: int
    hash: str
    recorded_at: str
    notification_id: int


@dataclass(frozen=True)
class RecordedStatement:
    """A stored statement with what the ledger added when it accepted it."""

    statement: dict[str, Any]
    text: str
    hash: str
    signature: str
    recorded_at: str


class LedgerApplication(Application[uuid.UUID]):
    """The eventsourcing application holding every stream; one event class, one aggregate kind."""

    name = "Ledger"


class _Check(Protocol):
    """A signature check under way: a thread's future, or a check done ahead in a worker process."""

    def result(self) -> bool: ...
    def cancel(self) -> bool: ...


AheadJob = tuple[bytes, bytes | dict[str, Any], str]
"""A signature to check ahead: the signer's raw public key, the statement's hash as the caller claims it
(or the statement, to be hashed in the worker), the signature."""


def _check_ahead(jobs: Sequence[AheadJob]) -> list[tuple[bytes | None, bool]]:
    """In a worker process: each statement's hash (None if it has no canonical form) and whether its
    signature verifies with the key over that hash, by the same function a single append uses."""
    verifiers: dict[bytes, Ed25519PublicKey] = {}
    results: list[tuple[bytes | None, bool]] = []
    for raw_key, hashed, signature in jobs:
        verifier = verifiers.get(raw_key)
        if verifier is None:
            verifier = verifiers[raw_key] = Ed25519PublicKey.from_public_bytes(raw_key)
        if isinstance(hashed, dict):
            try:
                hashed = hashlib.sha256(statement_bytes(hashed)).digest()
            except ValidationFailed:
                results.append((None, False))
                continue
        results.append((hashed, verify_statement_signature(verifier, hashed, signature)))
    return results


@dataclass(frozen=True)
class _Ahead:
    """A signature check done ahead in a worker: one job of a chunk."""

    chunk: Future[list[tuple[bytes | None, bool]]]
    index: int


@dataclass(frozen=True)
class _AheadCheck:
    """A statement's signature check answered by a check done ahead, if it was made on the same hash.

    The key is the same by construction (the lookup is by raw key and signature); a statement whose hash
    differs from the one checked ahead is verified here instead.
    """

    ahead: _Ahead
    public_key: Ed25519PublicKey
    digest: bytes
    signature: str

    def result(self) -> bool:
        """Whether the signature verifies with the key over the statement's hash."""
        digest, valid = self.ahead.chunk.result()[self.ahead.index]
        if digest == self.digest:
            return valid
        return verify_statement_signature(self.public_key, self.digest, self.signature)

    def cancel(self) -> bool:
        """Nothing to cancel: the chunk serves other statements too."""
        return False


@dataclass
class _Pending:
    statement: dict[str, Any]
    text: str
    digest: bytes
    signature: str
    check: _Check
    signer: uuid.UUID | None
    now: datetime
    recorded_at: str


@dataclass
class _Batch:
    """The working state of one append transaction: streams and registry as the batch leaves them."""

    registry: RegistryWorld
    registry_version: int
    now: datetime
    recorded_at: str
    states: dict[uuid.UUID, KernelState] = field(default_factory=dict)
    extended: set[uuid.UUID] = field(default_factory=set)
    registry_streams: dict[str, str] = field(default_factory=dict)


class _RegistryMoved(Exception):
    """Another process changed units or actors since this one folded them: reload and check again."""


class _SignersMoved(Exception):
    """A signer's stream changed after its key state was read: re-read and check again."""

    def __init__(self, streams: Sequence[uuid.UUID]) -> None:
        super().__init__("signers moved")
        self.streams = list(streams)


def _open_application(env: Mapping[str, str]) -> LedgerApplication:
    """Open the event store; retried because processes starting together race on its idempotent DDL
    (PostgreSQL answers "tuple concurrently updated" to the loser of two simultaneous CREATEs)."""
    for attempt in range(5):
        try:
            return LedgerApplication(env=dict(env))
        except (InternalError, IntegrityError):
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


class Ledger:
    """Accepts signed statements and reads streams back; the single write path of the system."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        origin: str,
        ledger_public_key: Ed25519PublicKey | None,
        domain_settings: DomainSettings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.app = _open_application(env)
        self.tables = LogStore(self.app)
        self.gate = DomainGate(domain_settings or DomainSettings())
        self.registry = RegistryWorld()
        self.registry_version = -1  # not loaded yet
        self.origin = origin
        self.ledger_actor = ledger_actor_id(origin)
        self.ledger_public_key = ledger_public_key
        self.ledger_key_id = key_id(ledger_public_key) if ledger_public_key is not None else None
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self._states: OrderedDict[uuid.UUID, KernelState] = OrderedDict()
        self._lock = threading.Lock()
        self._verifier = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="sigcheck")
        self._ahead_pool: ProcessPoolExecutor | None = None
        self._ahead: dict[tuple[bytes, str], _Ahead] = {}
        self.backend = "postgres" if env.get("PERSISTENCE_MODULE", "").endswith("postgres") else "sqlite"

    def close(self) -> None:
        """Release the database connections and the signature-checking threads."""
        self._verifier.shutdown(wait=False, cancel_futures=True)
        self._ahead.clear()
        if self._ahead_pool is not None:
            self._ahead_pool.shutdown(wait=True, cancel_futures=True)
            self._ahead_pool = None
        self.app.close()

    # -- writing ---------------------------------------------------------------------------------------

    def append(self, statement: Mapping[str, Any], signature: str) -> Receipt:
        """Check and store one signed statement in its own transaction."""
        return self.append_many([(statement, signature)])[0]

    def append_many(self, items: Sequence[tuple[Mapping[str, Any], str]]) -> list[Receipt]:
        """Check and store several signed statements in one transaction: all of them or none.

        A refusal names the failing statement by its index in ``items`` (``details["index"]``).
        """
        if not items:
            raise ValidationFailed("nothing to append")
        for _attempt in range(MAX_RETRIES):
            try:
                return self._append_once(items)
            except StaleHead as stale:
                first = self._recorded_already(items)
                if first is None:
                    raise
                raise AlreadyRecorded(
                    "this signed statement is recorded already (a repeated submission); nothing was added",
                    head=stale.details.get("head"),
                    receipts=first,
                ) from None
            except _SignersMoved as moved:
                self._forget(moved.streams)
            except _RegistryMoved:
                self.reload_registry()
        raise StaleHead("the signers' key state or the registry kept changing; try again", head=None)

    def _recorded_already(
        self, items: Sequence[tuple[Mapping[str, Any], str]]
    ) -> list[dict[str, Any]] | None:
        """The first receipts (as the API shows them), when every item is stored as sent already.

        A client whose connection broke after the commit but before the answer cannot know whether its
        append landed; sending the same signed statements again is then refused as ``already-recorded``
        with the first receipts rather than as merely stale, so a retry is recognised and never rebuilt.
        """
        receipts: list[dict[str, Any]] = []
        for raw, signature in items:
            try:
                envelope = parse_statement(raw)
                digest = hashlib.sha256(statement_bytes(raw)).hexdigest()
            except LedgerError:
                return None
            stream_id = uuid.UUID(envelope.stream)
            at_seq = self.app.events.get(stream_id, gt=envelope.seq - 1 or None, lte=envelope.seq)
            stored = [cast(StatementRecorded, event) for event in at_seq]
            if not stored or stored[0].hash != digest or stored[0].signature != signature:
                return None
            receipts.append(
                {
                    "hash": digest,
                    "stream": envelope.stream,
                    "seq": envelope.seq,
                    "recorded_at": stored[0].recorded_at,
                    "order": self._notification_id(stream_id, envelope.seq),
                }
            )
        return receipts

    def _notification_id(self, stream_id: uuid.UUID, seq: int) -> int:
        """The commit-order id the event store gave a stored statement."""
        column = "rowid" if self.backend == "sqlite" else "notification_id"
        query = f"SELECT {column} AS id FROM {{events}} WHERE originator_id = ? AND originator_version = ?"
        recorder: Any = self.app.recorder
        with self.tables.reading() as cursor:
            cursor.execute(recorder.adapt(query), [self._stream_key(stream_id), seq])
            return int(cursor.fetchone()["id"])

    def dry_run(self, items: Sequence[tuple[Mapping[str, Any], str]]) -> None:
        """Run every check of an append without storing anything: raises the refusal an append would get.

        Nothing is locked, so a concurrent writer may still make the real append fail as stale.
        """
        if not items:
            raise ValidationFailed("nothing to check")
        self._check_each(items, self._new_batch(), wait_for_signatures=True)

    def _new_batch(self) -> _Batch:
        """A batch judged against the registry as it is now, remembering which version that is."""
        if self.registry_version < 0:
            self.reload_registry()
        now = self.clock()
        with self._lock:
            registry, version = self.registry, self.registry_version
        return _Batch(
            registry=registry, registry_version=version, now=now, recorded_at=format_recorded_at(now)
        )

    def _check_each(
        self,
        items: Sequence[tuple[Mapping[str, Any], str]],
        batch: _Batch,
        *,
        wait_for_signatures: bool,
        moments: Sequence[datetime] | None = None,
    ) -> list[_Pending]:
        """Check every statement in order; a refusal names its index when there are several.

        ``moments`` (``append_days``): each statement's recording instant, instead of the batch's one.
        """
        pending: list[_Pending] = []
        for index, (raw, signature) in enumerate(items):
            if moments is not None and moments[index] != batch.now:
                batch.now, batch.recorded_at = moments[index], format_recorded_at(moments[index])
            try:
                item = self._check(raw, signature, batch)
                if wait_for_signatures and not item.check.result():
                    raise BadSignature(BAD_SIGNATURE)
                pending.append(item)
            except LedgerError as error:
                if len(items) > 1:
                    error.details.setdefault("index", index)
                raise
        return pending

    def append_days(
        self, days: Sequence[tuple[datetime, Sequence[tuple[Mapping[str, Any], str]]]]
    ) -> list[Receipt]:
        """Bulk load: several recording days in one transaction, all of them or none.

        For generators and imports that replay past days (the province benchmark): each day's statements
        are checked and recorded as of that day's instant, exactly as ``append_many`` would with the clock
        set to it, day after day; only the commits are shared. A refusal names the failing statement by
        its index in the days' items taken in order (``details["index"]``).
        """
        items = [item for _, day_items in days for item in day_items]
        moments = [moment for moment, day_items in days for _ in day_items]
        if not items:
            raise ValidationFailed("nothing to append")
        for _attempt in range(MAX_RETRIES):
            try:
                return self._append_once(items, moments, settle=True)
            except _SignersMoved as moved:
                self._forget(moved.streams)
            except _RegistryMoved:
                self.reload_registry()
        raise StaleHead("the signers' key state or the registry kept changing; try again", head=None)

    def _append_once(
        self,
        items: Sequence[tuple[Mapping[str, Any], str]],
        moments: Sequence[datetime] | None = None,
        *,
        settle: bool = False,
    ) -> list[Receipt]:
        batch = self._new_batch()
        pending = self._check_each(items, batch, wait_for_signatures=False, moments=moments)
        checks = [item.check for item in pending]
        if settle:
            # Bulk loads: wait for the signature checks before the transaction opens, not inside it
            # (worker processes starting up, or a loaded machine, would hold it idle past the server's
            # idle-in-transaction timeout). The guard still refuses any signature that fails.
            for check in checks:
                check.result()
        expected = {
            stream: batch.states[stream].seq for stream in (p.signer for p in pending) if stream is not None
        }
        registry_seen = batch.registry_version
        outcome: dict[str, int] = {}

        def guard(cursor: Any, adapt: Callable[[str], str]) -> None:
            self._check_signers_unmoved(cursor, adapt, expected)
            if self.tables.registry_version(cursor) != registry_seen:
                raise _RegistryMoved
            if batch.registry_streams:
                outcome["registry_version"] = self.tables.bump_registry(cursor, batch.registry_streams)
            for index, check in enumerate(checks):
                if not check.result():
                    error = BadSignature(BAD_SIGNATURE)
                    if len(items) > 1:
                        error.details["index"] = index
                    raise error

        events = [
            StatementRecorded(
                originator_id=uuid.UUID(item.statement["stream"]),
                originator_version=item.statement["seq"],
                timestamp=item.now,
                statement=item.text,
                hash=item.digest.hex(),
                signature=item.signature,
                recorded_at=item.recorded_at,
            )
            for item in pending
        ]
        try:
            recordings = self.app.events.put(events, guard=guard)
        except (IntegrityError, RecordConflictError):
            for check in checks:
                check.cancel()
            self._forget(batch.states)
            first = pending[0].statement
            head = self.state(uuid.UUID(first["stream"]))
            raise StaleHead(
                "another statement extended this stream first; rebuild on the current head",
                head={"seq": head.seq, "hash": head.head},
            ) from None
        with self._lock:
            for stream_id, state in batch.states.items():
                self._remember(stream_id, state)
            if "registry_version" in outcome:
                self.registry = batch.registry
                self.registry_version = outcome["registry_version"]
        return [
            Receipt(
                stream=item.statement["stream"],
                seq=item.statement["seq"],
                hash=item.digest.hex(),
                recorded_at=item.recorded_at,
                notification_id=recording.notification.id,
            )
            for item, recording in zip(pending, recordings, strict=True)
        ]

    def reload_registry(self) -> None:
        """Fold every unit and actor stream again into the registry the guards consult."""
        version = self.tables.registry_version()
        registry = RegistryWorld()
        for stream_id in self.tables.registry_streams():
            for event in self._events(uuid.UUID(stream_id)):
                registry = registry.apply(event.statement_object())
        with self._lock:
            self.registry = registry
            self.registry_version = version

    def _check_signers_unmoved(
        self, cursor: Any, adapt: Callable[[str], str], expected: Mapping[uuid.UUID, int]
    ) -> None:
        """Inside the insert transaction: every signer's stream is still at the version its key state came from."""
        if not expected:
            return
        keys_of = {self._stream_key(stream): stream for stream in expected}
        marks = ",".join("?" for _ in keys_of)
        cursor.execute(
            adapt(
                f"SELECT originator_id, MAX(originator_version) AS v FROM {{events}} WHERE originator_id IN ({marks}) GROUP BY originator_id"
            ),
            list(keys_of),
        )
        found = {str(row["originator_id"]).replace("-", ""): int(row["v"]) for row in cursor.fetchall()}
        moved = [
            stream
            for key, stream in keys_of.items()
            if found.get(key.replace("-", ""), 0) != expected[stream]
        ]
        if moved:
            raise _SignersMoved(moved)

    def _stream_key(self, stream: uuid.UUID) -> str:
        return stream.hex if self.backend == "sqlite" else str(stream)

    def _check(self, raw: Mapping[str, Any], signature: str, batch: _Batch) -> _Pending:
        envelope = parse_statement(raw)
        statement = dict(raw)
        if envelope.ledger != self.origin:
            raise WrongLedger(f"this ledger is {self.origin!r}, the statement names {envelope.ledger!r}")
        text_bytes = statement_bytes(statement)
        digest = hashlib.sha256(text_bytes).digest()
        stream_id = uuid.UUID(envelope.stream)
        working = batch.states
        extended_in_batch = stream_id in batch.extended
        target = self._target_state(stream_id, envelope.seq, envelope.prev, working)

        signer_id: uuid.UUID | None
        if self._is_genesis(envelope.key, envelope.actor):
            self._check_genesis(statement, target)
            public_key = cast(Ed25519PublicKey, self.ledger_public_key)
            signer = KernelState()
            signer_id = None
        else:
            signer_id = uuid.UUID(envelope.actor)
            signer = self._working_state(signer_id, working)
            public_key = self._signing_key(signer, envelope.actor, envelope.key)
        # The signature is checked on another core while the rest is checked and inserted; any later
        # refusal still reports a bad signature first, as the order of checks requires.
        check = self._signature_check(public_key, digest, signature)
        try:
            if envelope.seq != target.seq + 1 or envelope.prev != target.head:
                raise StaleHead(
                    f"the stream's head is seq {target.seq}; the statement must have seq {target.seq + 1} "
                    "and prev equal to the head's hash",
                    head={"seq": target.seq, "hash": target.head},
                )
            validate_body(envelope.type, envelope.body)
            if envelope.type in (KEY_ENROLLED, KEY_REVOKED):
                check_key_statement(statement, target, signer, genesis=signer_id is None)
            judged = self.gate.judge(
                target,
                statement,
                digest.hex(),
                batch.recorded_at,
                batch.now,
                batch.registry,
                genesis=signer_id is None,
            )
        except LedgerError as refusal:
            if not check.result():
                raise BadSignature(BAD_SIGNATURE) from None
            if not isinstance(refusal, StaleHead) and not extended_in_batch:
                self._refuse_if_stale(stream_id, target)
            raise
        batch.extended.add(stream_id)
        if judged.registry_changed:
            batch.registry = judged.registry
            batch.registry_streams[envelope.stream] = stream_kind(envelope.type)
        working[stream_id] = evolve_kernel(judged.state, statement, digest.hex())
        return _Pending(
            statement=statement,
            text=text_bytes.decode("utf-8"),
            digest=digest,
            signature=signature,
            check=check,
            signer=signer_id,
            now=batch.now,
            recorded_at=batch.recorded_at,
        )

    def _signature_check(self, public_key: Ed25519PublicKey, digest: bytes, signature: str) -> _Check:
        """The statement's signature check: one done ahead (``preverify``) if any, else a thread's."""
        if self._ahead:
            ahead = self._ahead.pop((public_key.public_bytes_raw(), signature), None)
            if ahead is not None:
                return _AheadCheck(ahead, public_key, digest, signature)
        return self._verifier.submit(verify_statement_signature, public_key, digest, signature)

    def preverify(
        self, items: Sequence[tuple[Mapping[str, Any], str]], hashes: Sequence[bytes | None] | None = None
    ) -> int:
        """Start checking the signatures of statements about to be appended, in worker processes.

        For bulk loads (the province generator): a thread would hold this process's GIL while it
        verifies, so a load of millions of statements checks them on the other cores instead, ahead of
        the appends. Only statements whose signer's key this process knows now (no reads) are sent, each
        with that key. An append later takes the answer only for a statement with the same key, signature
        and hash, so what is checked does not change, only where and when; every other check is made as
        usual. ``hashes`` (optional, per item): the statement hashes the caller computed when signing,
        sent instead of the statements; a wrong one only means the append verifies that statement itself.
        Returns how many signatures were sent.
        """
        jobs: list[AheadJob] = []
        known: dict[tuple[object, object], bytes | None] = {}
        for index, (statement, signature) in enumerate(items):
            signer = (statement.get("actor"), statement.get("key"))
            if signer not in known:
                known[signer] = self._known_key(statement)
            raw_key = known[signer]
            if raw_key is None or not isinstance(signature, str):
                continue
            claimed = hashes[index] if hashes is not None else None
            jobs.append((raw_key, claimed if claimed is not None else dict(statement), signature))
        jobs = jobs[: max(0, AHEAD_LIMIT - len(self._ahead))]
        if not jobs:
            return 0
        if self._ahead_pool is None:
            # Spawned, not forked: this process holds database connections and threads.
            workers = max(1, (os.cpu_count() or 1) - 1)
            self._ahead_pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        for start in range(0, len(jobs), AHEAD_CHUNK):
            chunk = jobs[start : start + AHEAD_CHUNK]
            future = self._ahead_pool.submit(_check_ahead, chunk)
            for index, (raw_key, _, signature) in enumerate(chunk):
                self._ahead[(raw_key, signature)] = _Ahead(future, index)
        return len(jobs)

    def _known_key(self, statement: Mapping[str, Any]) -> bytes | None:
        """The raw public key a statement names, if its signer's cached state holds it unrevoked."""
        try:
            signer = uuid.UUID(str(statement.get("actor")))
        except ValueError:
            return None
        with self._lock:
            state = self._states.get(signer)
        record = state.key(str(statement.get("key"))) if state is not None else None
        if record is None or record.revoked_at is not None:
            return None
        return record.public_key

    def _refuse_if_stale(self, stream_id: uuid.UUID, judged_on: KernelState) -> None:
        """A refusal judged on a cached (or assumed empty) head is reported as stale if the head moved."""
        current = self.state(stream_id)
        if (current.seq, current.head) != (judged_on.seq, judged_on.head):
            raise StaleHead(
                "the stream moved on since this statement's head; rebuild on the current head",
                head={"seq": current.seq, "hash": current.head},
            )

    def _target_state(
        self, stream_id: uuid.UUID, seq: int, prev: str, working: dict[uuid.UUID, KernelState]
    ) -> KernelState:
        """The head a statement must extend, read from the database only when the cache cannot tell.

        A cached head that the statement extends needs no read: if another process moved the stream on,
        the insert violates the unique (stream, seq) constraint and the append is refused as stale.
        """
        if stream_id in working:
            return working[stream_id]
        with self._lock:
            cached = self._states.get(stream_id)
        if cached is not None and seq == cached.seq + 1 and prev == cached.head:
            state = cached
        elif cached is None and seq == 1 and prev == GENESIS_PREV:
            state = KernelState()
        else:
            state = self.state(stream_id)
        working[stream_id] = state
        return state

    def _is_genesis(self, key: str, actor: str) -> bool:
        return key == self.ledger_key_id and actor == self.ledger_actor

    def _check_genesis(self, statement: Mapping[str, Any], target: KernelState) -> None:
        if statement["type"] != KEY_ENROLLED:
            raise StepNotAllowed("the ledger key signs only the genesis KeyEnrolled")
        if self.app.recorder.max_notification_id() is not None or target.seq != 0:
            raise StepNotAllowed("the genesis exists already; the ledger key signs nothing more")
        if statement["seq"] != 1 or statement["prev"] != GENESIS_PREV:
            raise StaleHead("the genesis is seq 1 of a new stream", head={"seq": 0, "hash": GENESIS_PREV})

    @staticmethod
    def _signing_key(signer: KernelState, actor: str, key: str) -> Ed25519PublicKey:
        record = signer.key(key)
        if record is None:
            raise UnknownKey(f"key {key} is not enrolled for actor {actor}")
        if record.revoked_at is not None:
            raise RevokedKey(f"key {key} was revoked as of {record.revoked_at}")
        return record.verifier

    # -- reading ---------------------------------------------------------------------------------------

    def _working_state(self, stream_id: uuid.UUID, working: dict[uuid.UUID, KernelState]) -> KernelState:
        """A signer's state: the cached one if any (the insert transaction re-checks its version)."""
        if stream_id not in working:
            with self._lock:
                cached = self._states.get(stream_id)
            working[stream_id] = cached if cached is not None else self.state(stream_id)
        return working[stream_id]

    def state(self, stream_id: uuid.UUID) -> KernelState:
        """The kernel state of a stream, brought up to date with what the database holds now."""
        with self._lock:
            cached = self._states.get(stream_id)
        state = cached or KernelState()
        for event in self._events(stream_id, after=state.seq):
            statement = event.statement_object()
            if stream_kind(statement["type"]) == "member":
                member = evolve_domain(state.member or MemberFile(), statement, event.hash, event.recorded_at)
                state = replace(state, member=member)
            state = evolve_kernel(state, statement, event.hash)
        with self._lock:
            self._remember(stream_id, state)
        return state

    def _remember(self, stream_id: uuid.UUID, state: KernelState) -> None:
        current = self._states.get(stream_id)
        if current is None or current.seq <= state.seq:
            self._states[stream_id] = state
            self._states.move_to_end(stream_id)
        while len(self._states) > STATE_CACHE_SIZE:
            self._states.popitem(last=False)

    def _forget(self, streams: Iterable[uuid.UUID]) -> None:
        with self._lock:
            for stream_id in streams:
                self._states.pop(stream_id, None)

    def _events(self, stream_id: uuid.UUID, *, after: int = 0) -> Iterator[StatementRecorded]:
        try:
            for event in self.app.events.get(stream_id, gt=after or None):
                yield cast(StatementRecorded, event)
        except MapperDeserialisationError as error:
            raise LedgerError(f"stored statement of stream {stream_id} cannot be read: {error}") from None

    def read_stream(self, stream_id: str) -> list[RecordedStatement]:
        """Every statement of one stream in ``seq`` order, as stored."""
        try:
            key = uuid.UUID(stream_id)
        except ValueError:
            raise NotFound(f"{stream_id!r} is not a stream id") from None
        records = [
            RecordedStatement(
                statement=event.statement_object(),
                text=event.statement,
                hash=event.hash,
                signature=event.signature,
                recorded_at=event.recorded_at,
            )
            for event in self._events(key)
        ]
        if not records:
            raise NotFound(f"no stream {stream_id}")
        return records

    def max_notification_id(self) -> int:
        """The id of the latest stored statement's notification (0 when the ledger is empty)."""
        return self.app.recorder.max_notification_id() or 0
