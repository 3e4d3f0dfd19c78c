"""The hash-chained access log (查阅日志): who read which member's data, in which view, when, from where.

Each row of ``api_access_log`` carries ``prev_hash`` (the previous row's ``hash``; 64 zeros for the first)
and ``hash`` = SHA-256 over the RFC 8785 (JCS) form of the row's other columns, so a row changed, removed
or inserted in the middle breaks the chain at a row ``verify`` names. The log never holds the data read,
only its coordinates: actor, member, the member's unit at the time (for scoped queries) and the view.
Rows are appended under a table lock (PostgreSQL) or the database write lock (SQLite), so concurrent
readers never fork the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ledger.canonical import canonical
from ledger.logstore import Cursor, LogStore

TABLE = "api_access_log"
GENESIS = "0" * 64
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
    """Create ``api_access_log`` if missing (both backends)."""
    with log.transaction(commit=True) as cursor:
        cursor.execute(
            log.sql(
                "CREATE TABLE IF NOT EXISTS {t}" + TABLE + " (position BIGINT PRIMARY KEY, at TEXT NOT NULL,"
                " actor TEXT NOT NULL, member TEXT NOT NULL, unit TEXT NOT NULL, view TEXT NOT NULL,"
                " client TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
            )
        )
        cursor.execute(
            log.sql("CREATE INDEX IF NOT EXISTS " + TABLE + "_member ON {t}" + TABLE + " (member)")
        )


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
        cursor.execute(log.sql("SELECT position, hash FROM {t}" + TABLE + " ORDER BY position DESC LIMIT 1"))
        last = cursor.fetchone()
        position, prev = (int(last["position"]), str(last["hash"])) if last else (0, GENESIS)
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


def verify(log: LogStore) -> ChainReport:
    """Recheck the whole stored chain."""
    return check_chain(rows(log))
