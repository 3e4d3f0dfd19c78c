"""Event recorders that run a guard inside the insert transaction, just before it commits.

The append path checks whatever a concurrent writer could invalidate (the signers' key state) and waits
for its signature checks inside the same transaction that inserts the statements: on SQLite that
transaction holds the write lock, on PostgreSQL the library's exclusive table lock, so no revocation can
commit between the check and the insert. A guard that raises rolls the whole insert back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

Guard = Callable[[Any, Callable[[str], str]], None]
"""A guard gets a cursor in the insert transaction and a function adapting ``?``-style SQL to the backend."""


class GuardedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite recorder whose inserts accept a ``guard`` keyword argument."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        guard: Guard | None = kwargs.get("guard")
        if guard is not None:
            guard(c, self.adapt)
        return ids

    def adapt(self, sql: str) -> str:
        """``{events}`` is this recorder's table; SQLite stores stream ids as 32 hex digits."""
        return sql.replace("{events}", self.events_table_name)

    @staticmethod
    def stream_key(stream: str) -> str:
        """The stored form of a stream id."""
        return stream.replace("-", "")


class GuardedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """PostgreSQL recorder whose inserts accept a ``guard`` keyword argument (run after the table lock).

    The library's own insert commits even when code run inside it raises (it defers the exception past
    its pipeline), so a guarded insert runs in a plain transaction that rolls back on any exception.
    """

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        guard: Guard | None = kwargs.pop("guard", None)
        if guard is None:
            unguarded: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return unguarded
        with self.datastore.transaction(commit=True) as curs:
            self._insert_stored_events(curs, stored_events)
            ids: Sequence[int] | None = self._fetch_ids_after_insert_events(curs, stored_events)
            with curs.connection.cursor() as own:
                guard(own, self.adapt)
            return ids

    def adapt(self, sql: str) -> str:
        """``{events}`` is this recorder's schema-qualified table, placeholders become ``%s``."""
        table = f'"{self.datastore.schema}"."{self.events_table_name}"'
        return sql.replace("{events}", table).replace("?", "%s")

    @staticmethod
    def stream_key(stream: str) -> str:
        """The stored form of a stream id."""
        return stream
