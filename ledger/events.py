"""The one stored event: a statement exactly as signed, with its hash, signature and recording time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from eventsourcing.domain import DomainEvent


@dataclass(frozen=True)
class StatementRecorded(DomainEvent):
    """A signed statement accepted onto its stream (``originator_id`` = stream, version = ``seq``).

    ``statement`` holds the canonical JSON text that was hashed and signed, byte for byte, so that
    verification rehashes what is stored rather than a re-serialisation of it.
    """

    statement: str
    hash: str
    signature: str
    recorded_at: str

    def statement_object(self) -> dict[str, Any]:
        """The statement as a JSON object."""
        value = orjson.loads(self.statement)
        if not isinstance(value, dict):
            raise ValueError("stored statement is not a JSON object")
        return value


STATEMENT_TOPIC = f"{StatementRecorded.__module__}:{StatementRecorded.__qualname__}"
