"""Direct access to a test ledger's database, bypassing the ledger: the tamperer's tool."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg

from ledger.settings import Settings


class RawDb:
    """Runs SQL on the ledger's database as an attacker with write access would."""

    def __init__(self, settings: Settings) -> None:
        self.postgres = settings.backend == "postgres"
        if self.postgres:
            parts = urlsplit(settings.database_url)
            self.schema = parse_qs(parts.query)["schema"][0]
            base = settings.database_url.split("?", 1)[0]
            self.pg = psycopg.connect(base, autocommit=True)
            self.pg.execute(f'SET search_path TO "{self.schema}"')
            self.id_column = "notification_id"
            self.events_table = "ledger_events"
        else:
            path = settings.database_url.split("sqlite:///", 1)[1]
            self.lite = sqlite3.connect(path, isolation_level=None)
            self.id_column = "rowid"
            self.events_table = "stored_events"

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; rows if it returns any."""
        if self.postgres:
            cursor = self.pg.execute(sql.replace("?", "%s"), params)
            return list(cursor.fetchall()) if cursor.description else []
        cur = self.lite.execute(sql, params)
        return list(cur.fetchall())

    def events(self) -> list[tuple[int, str, int, bytes]]:
        """(notification id, stream, seq, state) of every stored event, in order."""
        rows = self.execute(
            f"SELECT {self.id_column}, originator_id, originator_version, state FROM {self.events_table}"
            f" ORDER BY {self.id_column}"
        )
        return [(int(r[0]), str(uuid.UUID(str(r[1]))), int(r[2]), bytes(r[3])) for r in rows]

    def delete_event(self, notification_id: int) -> None:
        """Remove one stored event."""
        self.execute(f"DELETE FROM {self.events_table} WHERE {self.id_column} = ?", (notification_id,))

    def set_state(self, notification_id: int, state: bytes) -> None:
        """Overwrite the stored payload of one event."""
        self.execute(
            f"UPDATE {self.events_table} SET state = ? WHERE {self.id_column} = ?", (state, notification_id)
        )

    def close(self) -> None:
        """Disconnect."""
        if self.postgres:
            self.pg.close()
        else:
            self.lite.close()
