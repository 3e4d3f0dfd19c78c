"""The one stored event: a statement exactly as signed, with its hash, signature and recording time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent


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
        return statement_object(self.statement)


STATEMENT_TOPIC = f"{StatementRecorded.__module__}:{StatementRecorded.__qualname__}"


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """The four fields of a stored ``StatementRecorded`` that readers of the log use, and nothing else.

    Projections and the log runner read every stored event; building the library's event object for each
    (its JSON transcoder with object hooks, the timestamp, the originator id) costs more than the
    reading itself. ``decode_stored`` takes the same decryption and decompression and parses the state
    with orjson instead.
    """

    statement: str
    hash: str
    signature: str
    recorded_at: str

    def statement_object(self) -> dict[str, Any]:
        """The statement as a JSON object."""
        return statement_object(self.statement)


def statement_object(text: str) -> dict[str, Any]:
    """A stored statement's canonical JSON text as an object (refusing anything but an object)."""
    value = orjson.loads(text)
    if not isinstance(value, dict):
        raise ValueError("stored statement is not a JSON object")
    return value


_FIELDS = ("statement", "hash", "signature", "recorded_at")


def decode_stored(mapper: Mapper[Any], stored: StoredEvent) -> StoredStatement:
    """The statement fields of one stored event: decrypted (AES-GCM checks it), decompressed, parsed.

    Equal to reading the same fields from ``mapper.to_domain_event(stored)``; a stored event of another
    topic, or whose state does not decrypt or parse, is ``MapperDeserialisationError`` as there.
    """
    try:
        if stored.topic != STATEMENT_TOPIC:
            raise ValueError(f"topic {stored.topic!r} is not a statement")
        state = stored.state
        if mapper.cipher:
            state = mapper.cipher.decrypt(state)
        if mapper.compressor:
            state = mapper.compressor.decompress(state)
        fields = orjson.loads(state)
        values = [fields[name] for name in _FIELDS]
        if not all(isinstance(value, str) for value in values):
            raise ValueError("a statement field is not a string")
    except Exception as error:
        raise MapperDeserialisationError(
            f"Failed to deserialise state of stored event with topic '{stored.topic}', "
            f"originator_id '{stored.originator_id}' and originator_version "
            f"{stored.originator_version}: {error}"
        ) from error
    return StoredStatement(*values)
