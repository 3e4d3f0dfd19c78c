"""Attachments are stored by their SHA-256, encrypted when the cipher is on, and checked by verify."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from ledger.errors import NotFound, ValidationFailed
from ledger.settings import Settings
from ledger.verify import verify_ledger
from tests.rawdb import RawDb
from tests.world import World, make_world

SCAN = "中国共产党党员基本情况登记表（扫描件）".encode() * 50


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def test_stored_attachment_comes_back_by_its_hash(world: World) -> None:
    stored = world.system.attachments.put(SCAN, "application/pdf")
    assert stored.sha256 == hashlib.sha256(SCAN).hexdigest()
    again = world.system.attachments.put(SCAN, "application/pdf")
    assert again == stored
    record, content = world.system.attachments.get(stored.sha256)
    assert content == SCAN and record.media_type == "application/pdf" and record.size == len(SCAN)


def test_missing_attachment_and_bad_media_type_are_refused(world: World) -> None:
    with pytest.raises(NotFound):
        world.system.attachments.get("0" * 64)
    with pytest.raises(ValidationFailed):
        world.system.attachments.put(b"x", "not a media type")


def test_attachment_bytes_are_not_in_the_clear_when_the_cipher_is_on(
    world: World, settings: Settings
) -> None:
    stored = world.system.attachments.put(SCAN, "application/pdf")
    db = RawDb(settings)
    try:
        raw = bytes(
            db.execute("SELECT content FROM ledger_attachments WHERE sha256 = ?", (stored.sha256,))[0][0]
        )
    finally:
        db.close()
    if settings.backend == "postgres":  # ledger init generated a cipher key for PostgreSQL
        assert SCAN[:30] not in raw
    else:
        assert raw == SCAN


def test_altered_attachment_is_reported_by_verify(world: World, settings: Settings) -> None:
    stored = world.system.attachments.put(SCAN, "application/pdf")
    db = RawDb(settings)
    try:
        raw = bytes(
            db.execute("SELECT content FROM ledger_attachments WHERE sha256 = ?", (stored.sha256,))[0][0]
        )
        db.execute(
            "UPDATE ledger_attachments SET content = ? WHERE sha256 = ?",
            (raw[:-1] + bytes([raw[-1] ^ 1]), stored.sha256),
        )
    finally:
        db.close()
    with pytest.raises(ValidationFailed):
        world.system.attachments.get(stored.sha256)
    system = world.system
    report = verify_ledger(
        system.ledger,
        system.log,
        ledger_public_key=system.ledger.ledger_public_key,
        attachments=system.attachments,
    )
    assert [f.check for f in report.failures] == ["attachment"]
    assert stored.sha256 in report.failures[0].message


def test_cli_attach_stores_the_file_and_prints_the_doc(world: World, settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    scan = tmp_path / "登记表.pdf"
    scan.write_bytes(SCAN)
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_HOME": str(settings.home)}
    ledger = str(Path(sys.executable).parent / "ledger")
    result = subprocess.run(
        [ledger, "attach", str(scan)], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc == {
        "sha256": hashlib.sha256(SCAN).hexdigest(),
        "media_type": "application/pdf",
        "title": "登记表.pdf",
    }
    assert world.system.attachments.get(doc["sha256"])[1] == SCAN
