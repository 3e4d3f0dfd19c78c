"""The Merkle log's tables, in the same database as the events (SQLite or PostgreSQL).

Three tables: ``ledger_leaves`` (position → statement hash, recorded_at, notification id),
``ledger_nodes`` (the hash of every complete subtree, keyed by level and index, so that a root or a
proof is one primary-key read of O(log n) rows) and ``ledger_checkpoints`` (every signed checkpoint note).
They are written together with the log runner's tracking record, in one transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from ledger import merkle

Address = tuple[int, int]
LEVEL_SHIFT = 56

log = logging.getLogger("ledger.logstore")


def node_key(level: int, index: int) -> int:
    """One integer key per node, ``level << 56 | index``, so a proof is a single primary-key lookup."""
    return (level << LEVEL_SHIFT) | index


def node_address(key: int) -> Address:
    """The (level, index) of a node key."""
    return key >> LEVEL_SHIFT, key & ((1 << LEVEL_SHIFT) - 1)


class Cursor(Protocol):
    """The slice of a DB-API cursor both backends' cursors offer."""

    def execute(self, query: Any, params: Any = ...) -> Any: ...
    def executemany(self, query: Any, params_seq: Any) -> Any: ...
    def fetchall(self) -> Any: ...
    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class LeafRow:
    """One leaf of the log: which statement, at which position, recorded when."""

    position: int
    notification_id: int
    stream_id: str
    seq: int
    statement_hash: str
    recorded_at: str


@dataclass(frozen=True)
class CheckpointRow:
    """A signed checkpoint the ledger issued."""

    tree_size: int
    root_hash: bytes
    note: str


class LogStore:
    """SQL access to the Merkle log tables over the eventsourcing datastore of the application."""

    TRACKING_NAME = "merkle-log"

    def __init__(self, app: Application[Any]) -> None:
        self.tracking: TrackingRecorder = app.factory.tracking_recorder()
        self.datastore: Any = getattr(self.tracking, "datastore")  # noqa: B009
        self.postgres = type(self.tracking).__module__.startswith("eventsourcing.postgres")
        schema = getattr(self.datastore, "schema", "") if self.postgres else ""
        self.prefix = f'"{schema}".' if schema else ""
        self._sweeping = threading.Lock()
        self._create_tables()

    # -- SQL plumbing ------------------------------------------------------------------------------

    def sql(self, text: str) -> str:
        """Adapt a query written with ``?`` placeholders and ``{t}`` table prefixes to this backend."""
        text = text.replace("{t}", self.prefix)
        return text.replace("?", "%s") if self.postgres else text

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        """A cursor in one transaction of the shared datastore; committed only when asked."""
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A cursor for single-statement reads, outside any explicit transaction (one round trip each)."""
        if self.postgres:
            with self.datastore.get_connection() as connection, connection.cursor() as cursor:
                yield cursor
        else:
            with self.datastore.get_connection(commit=False) as connection:
                yield connection.cursor()

    def sweep_dead_connections(self, *, wait: bool = False) -> None:
        """Test every idle pooled connection and replace the dead ones (PostgreSQL; SQLite has no pool).

        The pool hands connections out untested (a test per request would cost a round trip each, and
        the pool's own test backs off for seconds once several fail). After the server restarted, every
        idle connection is dead and each would fail one request; a request that met an unreachable
        database calls this, so one sweep clears them all. It runs in the background unless ``wait``;
        a sweep already running makes a new call do nothing.
        """
        pool = getattr(self.datastore, "pool", None)
        if pool is None or not self._sweeping.acquire(blocking=False):
            return

        def sweep() -> None:
            try:
                pool.check()
            except (psycopg.Error, OSError):  # still down: the next failed request sweeps again
                log.info("pool check failed; the database is still unreachable")
            finally:
                self._sweeping.release()

        if wait:
            sweep()
        else:
            threading.Thread(target=sweep, name="pool-sweep", daemon=True).start()

    def claim_writer(self, cursor: Cursor) -> None:
        """Take the database's write lock before reading what a write depends on.

        SQLite opens transactions deferred: a transaction that reads first and writes later fails with
        "database is locked" when another writer committed in between, instead of waiting. A first
        no-op write makes it wait for the lock. PostgreSQL needs nothing: its constraints settle races.
        """
        if not self.postgres:
            cursor.execute("DELETE FROM ledger_checkpoints WHERE 0")

    def _create_tables(self) -> None:
        blob = "BYTEA" if self.postgres else "BLOB"
        suffix = "" if self.postgres else " WITHOUT ROWID"
        statements = [
            "CREATE TABLE IF NOT EXISTS {t}ledger_leaves ("
            " position BIGINT PRIMARY KEY, notification_id BIGINT NOT NULL UNIQUE,"
            " stream_id TEXT NOT NULL, seq BIGINT NOT NULL, statement_hash TEXT NOT NULL,"
            f" recorded_at TEXT NOT NULL){suffix}",
            "CREATE INDEX IF NOT EXISTS ledger_leaves_hash ON {t}ledger_leaves (statement_hash)",
            "CREATE INDEX IF NOT EXISTS ledger_leaves_stream ON {t}ledger_leaves (stream_id, seq)",
            f"CREATE TABLE IF NOT EXISTS {{t}}ledger_nodes (node BIGINT PRIMARY KEY, hash {blob} NOT NULL){suffix}",
            "CREATE TABLE IF NOT EXISTS {t}ledger_checkpoints ("
            f" tree_size BIGINT PRIMARY KEY, root_hash {blob} NOT NULL, note TEXT NOT NULL){suffix}",
            "CREATE TABLE IF NOT EXISTS {t}ledger_registry (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
            "INSERT INTO {t}ledger_registry (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
            "CREATE TABLE IF NOT EXISTS {t}ledger_registry_streams ("
            f" stream_id TEXT PRIMARY KEY, kind TEXT NOT NULL){suffix}",
        ]
        self.ensure(statements)

    def ensure(self, statements: Sequence[str]) -> None:
        """Run idempotent DDL, each statement on its own (autocommit), safe when processes start together.

        Inside one explicit transaction SQLite would fail with "database is locked" when another process
        writes meanwhile, and PostgreSQL can report a duplicate type when two create the same table at
        once; run alone, SQLite waits for its lock and PostgreSQL's loser finds the table made.
        """
        for statement in statements:
            for attempt in range(3):
                try:
                    if self.postgres:
                        with self.datastore.get_connection() as connection:
                            connection.execute(self.sql(statement))
                    else:
                        with self.datastore.get_connection(commit=True) as connection:
                            connection.cursor().execute(self.sql(statement))
                    break
                except (IntegrityError, psycopg.errors.UniqueViolation):
                    if attempt == 2:
                        raise

    # -- reads -------------------------------------------------------------------------------------

    def _one_row(self, query: str, cursor: Cursor | None) -> Any:
        """The first row of a query, on the given cursor or on a reading one."""
        if cursor is None:
            with self.reading() as own:
                own.execute(self.sql(query))
                return own.fetchone()
        cursor.execute(self.sql(query))
        return cursor.fetchone()

    def size(self, cursor: Cursor | None = None) -> int:
        """How many leaves the log holds."""
        row = self._one_row("SELECT MAX(position) AS top FROM {t}ledger_leaves", cursor)
        top = row["top"] if row is not None else None
        return 0 if top is None else int(top) + 1

    def tracked_notification_id(self) -> int:
        """The last notification the log runner has turned into a leaf (0 before the first)."""
        return self.tracking.max_tracking_id(self.TRACKING_NAME) or 0

    def fetcher(self, cursor: Cursor | None = None) -> merkle.NodeFetcher:
        """A node fetcher for the merkle module: one query for a whole set of addresses."""

        def fetch(addresses: Iterable[Address]) -> Mapping[Address, bytes]:
            wanted = sorted(set(addresses))
            if not wanted:
                return {}
            if cursor is None:
                with self.reading() as own:
                    return self._fetch_nodes(own, wanted)
            return self._fetch_nodes(cursor, wanted)

        return fetch

    def _fetch_nodes(self, cursor: Cursor, wanted: Sequence[Address]) -> dict[Address, bytes]:
        found: dict[Address, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = [node_key(level, index) for level, index in wanted[start : start + 500]]
            marks = ",".join("?" for _ in chunk)
            cursor.execute(
                self.sql(f"SELECT node, hash FROM {{t}}ledger_nodes WHERE node IN ({marks})"), chunk
            )
            for row in cursor.fetchall():
                found[node_address(int(row["node"]))] = bytes(row["hash"])
        return found

    def nodes_in(self, level: int, first: int, last: int) -> dict[int, bytes]:
        """Stored nodes of one level with index in ``[first, last]`` (for verification sweeps)."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql("SELECT node, hash FROM {t}ledger_nodes WHERE node BETWEEN ? AND ?"),
                [node_key(level, first), node_key(level, last)],
            )
            return {node_address(int(row["node"]))[1]: bytes(row["hash"]) for row in cursor.fetchall()}

    def count_nodes(self) -> int:
        """How many node rows are stored (a full tree of n leaves has fewer than 2n)."""
        with self.reading() as cursor:
            cursor.execute(self.sql("SELECT COUNT(*) AS n FROM {t}ledger_nodes"))
            row = cursor.fetchone()
            return int(row["n"])

    def root(self, size: int) -> bytes:
        """The root of the tree of the first ``size`` leaves, from stored nodes."""
        return merkle.root(size, self.fetcher())

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 9162 §2.1.3 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        return merkle.inclusion_proof(index, size, self.fetcher())

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """RFC 9162 §2.1.4 consistency proof between two tree sizes."""
        return merkle.consistency_proof(first, second, self.fetcher())

    def leaves(self, start: int, end: int) -> list[LeafRow]:
        """Leaves with position in ``[start, end)``, in order."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT position, notification_id, stream_id, seq, statement_hash, recorded_at"
                    " FROM {t}ledger_leaves WHERE position >= ? AND position < ? ORDER BY position"
                ),
                [start, end],
            )
            return [_leaf(row) for row in cursor.fetchall()]

    def leaf_by_hash(self, statement_hash: str) -> LeafRow | None:
        """The leaf of a statement, found by its hash."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT position, notification_id, stream_id, seq, statement_hash, recorded_at"
                    " FROM {t}ledger_leaves WHERE statement_hash = ? ORDER BY position LIMIT 1"
                ),
                [statement_hash],
            )
            row = cursor.fetchone()
            return _leaf(row) if row is not None else None

    def leaves_of_stream(self, stream_id: str) -> dict[int, LeafRow]:
        """The leaves of one stream's statements, by ``seq``."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT position, notification_id, stream_id, seq, statement_hash, recorded_at"
                    " FROM {t}ledger_leaves WHERE stream_id = ?"
                ),
                [stream_id],
            )
            return {int(row["seq"]): _leaf(row) for row in cursor.fetchall()}

    def latest_checkpoint(self) -> CheckpointRow | None:
        """The checkpoint of the largest tree the ledger has signed."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT tree_size, root_hash, note FROM {t}ledger_checkpoints ORDER BY tree_size DESC LIMIT 1"
                )
            )
            row = cursor.fetchone()
            return _checkpoint(row) if row is not None else None

    def checkpoints(self) -> list[CheckpointRow]:
        """Every stored checkpoint, smallest tree first."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql("SELECT tree_size, root_hash, note FROM {t}ledger_checkpoints ORDER BY tree_size")
            )
            return [_checkpoint(row) for row in cursor.fetchall()]

    # -- the registry of unit and actor streams ----------------------------------------------------

    def registry_version(self, cursor: Cursor | None = None) -> int:
        """How many times unit or actor streams have changed (a counter bumped with each change)."""
        row = self._one_row("SELECT version FROM {t}ledger_registry WHERE id = 1", cursor)
        return int(row["version"]) if row is not None else 0

    def registry_streams(self) -> list[str]:
        """Every unit and actor stream id, in the order first recorded."""
        with self.reading() as cursor:
            cursor.execute(self.sql("SELECT stream_id FROM {t}ledger_registry_streams"))
            return [str(row["stream_id"]) for row in cursor.fetchall()]

    def bump_registry(self, cursor: Cursor, streams: Mapping[str, str]) -> int:
        """Inside an append transaction: record unit/actor streams and bump the registry counter."""
        for stream_id, kind in streams.items():
            cursor.execute(
                self.sql(
                    "INSERT INTO {t}ledger_registry_streams (stream_id, kind) VALUES (?, ?)"
                    " ON CONFLICT (stream_id) DO NOTHING"
                ),
                [stream_id, kind],
            )
        cursor.execute(self.sql("UPDATE {t}ledger_registry SET version = version + 1 WHERE id = 1"))
        return self.registry_version(cursor)

    # -- writes (log runner only) ------------------------------------------------------------------

    def write_batch(
        self,
        cursor: Cursor,
        leaves: Sequence[LeafRow],
        nodes: Sequence[tuple[int, int, bytes]],
        checkpoint: CheckpointRow,
        last_notification_id: int,
    ) -> None:
        """Store one batch of leaves, their completed nodes, the new checkpoint and the tracking record."""
        cursor_any: Any = cursor
        insert_leaf = self.sql(
            "INSERT INTO {t}ledger_leaves (position, notification_id, stream_id, seq, statement_hash, recorded_at)"
            " VALUES (?,?,?,?,?,?)"
        )
        insert_node = self.sql("INSERT INTO {t}ledger_nodes (node, hash) VALUES (?,?)")
        cursor_any.executemany(
            insert_leaf,
            [
                (
                    leaf.position,
                    leaf.notification_id,
                    leaf.stream_id,
                    leaf.seq,
                    leaf.statement_hash,
                    leaf.recorded_at,
                )
                for leaf in leaves
            ],
        )
        cursor_any.executemany(
            insert_node, [(node_key(level, index), digest) for level, index, digest in nodes]
        )
        cursor.execute(
            self.sql("INSERT INTO {t}ledger_checkpoints (tree_size, root_hash, note) VALUES (?,?,?)"),
            [checkpoint.tree_size, checkpoint.root_hash, checkpoint.note],
        )
        insert_tracking: Any = getattr(self.tracking, "_insert_tracking")  # noqa: B009
        insert_tracking(cursor, Tracking(self.TRACKING_NAME, last_notification_id))

    def drop(self) -> None:
        """Remove the log tables and tracking (tests and full rebuilds only)."""
        with self.transaction(commit=True) as cursor:
            for table in ("ledger_leaves", "ledger_nodes", "ledger_checkpoints"):
                cursor.execute(self.sql(f"DROP TABLE IF EXISTS {{t}}{table}"))


def _leaf(row: Any) -> LeafRow:
    return LeafRow(
        position=int(row["position"]),
        notification_id=int(row["notification_id"]),
        stream_id=str(row["stream_id"]),
        seq=int(row["seq"]),
        statement_hash=str(row["statement_hash"]),
        recorded_at=str(row["recorded_at"]),
    )


def _checkpoint(row: Any) -> CheckpointRow:
    return CheckpointRow(
        tree_size=int(row["tree_size"]), root_hash=bytes(row["root_hash"]), note=str(row["note"])
    )
