"""Attachments (附件材料): the scanned papers statements cite by SHA-256, stored by their hash.

Statements carry only ``{sha256, media_type, title}``; the bytes live here, content-addressed, encrypted
at rest with the same cipher as the events when one is configured (the scans hold personal data).
Storing the same bytes twice is a no-op; ``ledger verify`` rehashes every stored attachment.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.errors import NotFound, ValidationFailed
from ledger.logstore import LogStore
from ledger.timefmt import format_recorded_at

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
_MEDIA_TYPE = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$")


@dataclass(frozen=True)
class Attachment:
    """One stored attachment."""

    sha256: str
    media_type: str
    size: int
    stored_at: str


class AttachmentStore:
    """Content-addressed attachment bytes beside the events."""

    def __init__(self, tables: LogStore, cipher: Any | None) -> None:
        self.tables = tables
        self.cipher = cipher
        blob = "BYTEA" if tables.postgres else "BLOB"
        tables.ensure(
            [
                "CREATE TABLE IF NOT EXISTS {t}ledger_attachments (sha256 TEXT PRIMARY KEY,"
                f" media_type TEXT NOT NULL, size BIGINT NOT NULL, content {blob} NOT NULL,"
                " stored_at TEXT NOT NULL)"
            ]
        )

    def put(self, content: bytes, media_type: str) -> Attachment:
        """Store bytes (idempotent); the attachment's record, whose ``sha256`` statements cite."""
        if not _MEDIA_TYPE.match(media_type):
            raise ValidationFailed(f"not a media type: {media_type!r}")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationFailed(f"an attachment may hold at most {MAX_ATTACHMENT_BYTES} bytes")
        digest = hashlib.sha256(content).hexdigest()
        stored = self.cipher.encrypt(content) if self.cipher is not None else content
        record = Attachment(digest, media_type, len(content), format_recorded_at(datetime.now(UTC)))
        with self.tables.transaction(commit=True) as cursor:
            cursor.execute(
                self.tables.sql(
                    "INSERT INTO {t}ledger_attachments (sha256, media_type, size, content, stored_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING"
                ),
                [record.sha256, record.media_type, record.size, stored, record.stored_at],
            )
        return self.info(digest) or record

    def info(self, sha256: str) -> Attachment | None:
        """The record of a stored attachment, or None."""
        with self.tables.reading() as cursor:
            cursor.execute(
                self.tables.sql(
                    "SELECT sha256, media_type, size, stored_at FROM {t}ledger_attachments WHERE sha256 = ?"
                ),
                [sha256],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return Attachment(str(row["sha256"]), str(row["media_type"]), int(row["size"]), str(row["stored_at"]))

    def get(self, sha256: str) -> tuple[Attachment, bytes]:
        """The record and the bytes of an attachment; refuses when missing or altered."""
        with self.tables.reading() as cursor:
            cursor.execute(
                self.tables.sql(
                    "SELECT sha256, media_type, size, content, stored_at FROM {t}ledger_attachments WHERE sha256 = ?"
                ),
                [sha256],
            )
            row = cursor.fetchone()
        if row is None:
            raise NotFound(f"no attachment {sha256}")
        content = self._open(bytes(row["content"]))
        if content is None or hashlib.sha256(content).hexdigest() != sha256:
            raise ValidationFailed(f"attachment {sha256} does not match its hash: it was altered")
        record = Attachment(
            str(row["sha256"]), str(row["media_type"]), int(row["size"]), str(row["stored_at"])
        )
        return record, content

    def _open(self, stored: bytes) -> bytes | None:
        if self.cipher is None:
            return stored
        try:
            opened: bytes = self.cipher.decrypt(stored)
        except Exception:  # a failed decryption is evidence of tampering
            return None
        return opened

    def altered(self) -> Iterator[str]:
        """The hashes of stored attachments whose bytes no longer match (for ``ledger verify``)."""
        with self.tables.reading() as cursor:
            cursor.execute(
                self.tables.sql("SELECT sha256, content FROM {t}ledger_attachments ORDER BY sha256")
            )
            rows = cursor.fetchall()
        for row in rows:
            content = self._open(bytes(row["content"]))
            if content is None or hashlib.sha256(content).hexdigest() != row["sha256"]:
                yield str(row["sha256"])
