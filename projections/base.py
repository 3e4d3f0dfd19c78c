"""The projection base class (读模型): follows the notification log with eventsourcing tracking.

Each projection owns a few tables in the ledger's own database (SQLite or PostgreSQL) and a tracking name.
A batch of statements is read from the notification log, decoded, turned into table changes, and written
in one transaction together with the tracking record of the batch's last notification: a statement is
applied exactly once, a crash loses nothing, and a second runner's batch conflicts on the tracking record
and is retried. ``drop()`` removes the tables and the tracking record; ``rebuild()`` processes from zero.
"""

from __future__ import annotations

import gc
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from eventsourcing.persistence import (
    IntegrityError,
    MapperDeserialisationError,
    RecordConflictError,
    Tracking,
)

from ledger.errors import LedgerError
from ledger.events import STATEMENT_TOPIC, decode_stored
from ledger.logstore import Cursor, LogStore
from ledger.system import LedgerSystem

Progress = Callable[[int, int], None]
REBUILD_BATCH = 5000
"""Statements per transaction when rebuilding from zero: a member touched many times in a batch is
written once, and nobody waits for the tables while they are rebuilt."""
"""Called after each batch with (processed so far, processed + still pending): fits ``rich.progress``."""


@dataclass(frozen=True)
class Recorded:
    """One stored statement as a projection receives it: decoded, with its notification id."""

    notification_id: int
    stream: str
    seq: int
    statement: dict[str, Any]
    text: str
    hash: str
    signature: str
    recorded_at: str

    @property
    def type(self) -> str:
        """The statement type."""
        return str(self.statement["type"])


class Projection(ABC):
    """A read model over the notification log; subclasses name their tables and apply batches."""

    name: ClassVar[str]
    """The tracking name (one per projection) and the name ``rebuild NAME`` takes."""
    title: ClassVar[str]
    """The Chinese title of the read model."""
    tables: ClassVar[tuple[str, ...]]
    """The tables the projection owns (dropped by ``drop``)."""

    def __init__(self, system: LedgerSystem, *, batch_size: int = 500) -> None:
        self.system = system
        self.log: LogStore = system.log
        self.batch_size = batch_size
        self.tracking = self.log.tracking
        self.tracking_name = f"projection:{self.name}"
        self._lock = threading.RLock()
        self._seen: int | None = None
        self.create_tables()

    # -- what a subclass provides --------------------------------------------------------------------

    @abstractmethod
    def ddl(self) -> list[str]:
        """``CREATE TABLE IF NOT EXISTS`` statements (``{t}`` prefix, ``?`` placeholders, see LogStore.sql)."""

    @abstractmethod
    def prepare(self, batch: Sequence[Recorded]) -> Any:
        """Compute the table changes of a batch outside the write transaction (reads allowed)."""

    @abstractmethod
    def write(self, cursor: Cursor, prepared: Any) -> None:
        """Write the prepared changes inside the batch's transaction."""

    def forget(self) -> None:  # noqa: B027 - optional hook
        """Drop in-memory caches (after a conflict or a drop)."""

    # -- the machinery -------------------------------------------------------------------------------

    def create_tables(self) -> None:
        """Create the projection's tables when missing (safe when several processes open the ledger at once)."""
        self.log.ensure(self.ddl())

    def position(self) -> int:
        """The last notification id applied (0 before the first)."""
        return self.tracking.max_tracking_id(self.tracking_name) or 0

    def pending(self) -> int:
        """How many notifications are not yet applied (an upper bound: ids can have gaps)."""
        return max(0, self.system.ledger.max_notification_id() - self.position())

    def refresh(self) -> int:
        """Catch up when the log has grown since this object last caught up; how many were applied.

        Reads run this before every answer: when nothing is new it costs one indexed ``MAX`` query (the
        latest notification id against the one this object had applied everything up to), not the
        tracking read and the empty batch of ``catch_up``. Another process's writes are seen, since the
        latest id is read from the database each time.
        """
        latest = self.system.ledger.max_notification_id()
        if self._seen is not None and latest <= self._seen:
            return 0
        with self._lock:
            applied = self.catch_up()
            self._seen = max(latest, self._seen or 0)
        return applied

    def catch_up(
        self, progress: Progress | None = None, *, limit: int | None = None, batch_size: int | None = None
    ) -> int:
        """Apply every statement not yet applied (at most ``limit``); return how many were applied.

        One thread at a time per object: a projection object is shared by the reads of an open ledger
        (``projections.registry.projection``), and its in-memory caches are not for concurrent batches.
        """
        with self._lock, fewer_collections():
            return self._catch_up(progress, limit, batch_size)

    def _catch_up(self, progress: Progress | None, limit: int | None, batch_size: int | None) -> int:
        done = 0
        batch = batch_size or self.batch_size
        while limit is None or done < limit:
            size = batch if limit is None else min(batch, limit - done)
            try:
                applied = self._one_batch(size)
            except (IntegrityError, RecordConflictError):
                self.forget()  # another runner applied this batch; read the tracking record again
                continue
            if applied == 0:
                break
            done += applied
            if progress is not None:
                progress(done, done + self.pending())
        return done

    def drop(self) -> None:
        """Remove the projection's tables and its tracking record."""
        table = getattr(self.tracking, "tracking_table_name", "tracking")
        with self.log.transaction(commit=True) as cursor:
            for name in self.tables:
                cursor.execute(self.log.sql(f"DROP TABLE IF EXISTS {{t}}{name}"))
            cursor.execute(
                self.log.sql(f"DELETE FROM {{t}}{table} WHERE application_name = ?"), [self.tracking_name]
            )
        self._seen = None
        self.forget()

    def rebuild(self, progress: Progress | None = None) -> RebuildReport:
        """Drop, recreate and process the whole log from zero."""
        self.drop()
        self.create_tables()
        started = time.perf_counter()
        count = self.catch_up(progress, batch_size=max(self.batch_size, REBUILD_BATCH))
        self.analyse()
        return RebuildReport(self.name, count, time.perf_counter() - started)

    def analyse(self) -> None:
        """Refresh the query planner's statistics of the projection's tables.

        Freshly filled tables have none until autovacuum gets to them: PostgreSQL then plans the 附件5
        tally over a big ledger as a nested loop (72 ms instead of 15 ms measured at 10⁵ statements).
        """
        with self.log.transaction(commit=True) as cursor:
            for name in self.tables:
                cursor.execute(self.log.sql(f"ANALYZE {{t}}{name}"))

    def _one_batch(self, size: int) -> int:
        after = self.position()
        notifications = self.system.ledger.app.recorder.select_notifications(
            start=after, limit=size, inclusive_of_start=False, topics=[STATEMENT_TOPIC]
        )
        if not notifications:
            return 0
        batch = [self._decode(n) for n in notifications]
        prepared = self.prepare(batch)
        with self.log.transaction(commit=True) as cursor:
            self.log.claim_writer(cursor)
            self.write(cursor, prepared)
            insert_tracking: Any = getattr(self.tracking, "_insert_tracking")  # noqa: B009
            insert_tracking(cursor, Tracking(self.tracking_name, notifications[-1].id))
        return len(batch)

    def _decode(self, notification: Any) -> Recorded:
        try:
            event = decode_stored(self.system.ledger.app.mapper, notification)
        except MapperDeserialisationError as error:
            raise LedgerError(
                f"stored statement {notification.originator_id} seq {notification.originator_version} "
                f"cannot be read: {error}"
            ) from None
        return Recorded(
            notification_id=int(notification.id),
            stream=str(notification.originator_id),
            seq=int(notification.originator_version),
            statement=event.statement_object(),
            text=event.statement,
            hash=event.hash,
            signature=event.signature,
            recorded_at=event.recorded_at,
        )


BULK_GC_THRESHOLD = (20_000, 20, 50)
"""The garbage collector's thresholds while projections apply batches (the interpreter's default: 700, 10,
10). Folding allocates many objects that live for the whole batch; at the default thresholds the collector
runs hundreds of young and several full collections per batch, which find almost nothing to free and cost
a fifth of a rebuild. Collections still run, so memory stays bounded."""

_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds to ``BULK_GC_THRESHOLD`` while any projection applies batches."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*BULK_GC_THRESHOLD)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild did: how many statements, how long."""

    name: str
    statements: int
    seconds: float

    @property
    def rate(self) -> float:
        """Statements per second."""
        return self.statements / self.seconds if self.seconds > 0 else 0.0
