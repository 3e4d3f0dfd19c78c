"""Backups restore to a ledger that verifies and stays consistent with checkpoints issued before them;
with the cipher on, the database holds no member name or ID number in plain text."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ledger import merkle, note
from ledger.settings import Settings
from ledger.system import open_ledger
from ledger.verify import verify_ledger
from tests.conftest import PG_URL
from tests.rawdb import RawDb
from tests.world import World, make_world


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def restore(settings: Settings, target: Path) -> Iterator[Settings]:
    """Back up the ledger's database and restore it elsewhere; the settings of the copy."""
    if settings.backend == "sqlite":
        source = settings.database_url.split("sqlite:///", 1)[1]
        copy = target / "restored.sqlite"
        with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        yield settings.model_copy(update={"database_url": f"sqlite:///{copy}"})
        return
    schema = settings.database_url.split("schema=", 1)[1]
    database = f"restore_{uuid.uuid4().hex[:10]}"
    base = PG_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-n", schema, PG_URL], capture_output=True, check=True
        ).stdout
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base}/{database}"],
            input=dump,
            check=True,
            capture_output=True,
        )
        yield settings.model_copy(update={"database_url": f"{base}/{database}?schema={schema}"})
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_restored_backup_verifies_and_extends_consistently(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    if settings.backend == "postgres" and shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed to test PostgreSQL backups")
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)
    world.system.bring_log_up_to_date()
    before = world.system.log.latest_checkpoint()
    assert before is not None
    for restored_settings in restore(settings, tmp_path):
        restored = open_ledger(restored_settings)
        try:
            report = verify_ledger(
                restored.ledger, restored.log, ledger_public_key=restored.ledger.ledger_public_key, workers=1
            )
            assert report.ok, report.failures[:5]
            copy = World(restored_settings, restored, world.admin, units=dict(world.units))
            copy.participation(member, clerk, period="2026-02")
            restored.bring_log_up_to_date()
            after = restored.log.latest_checkpoint()
            assert after is not None and after.tree_size > before.tree_size
            verifier = note.VerifierKey.parse(restored.verifier_key())
            old = note.parse_checkpoint(before.note, verifier)
            new = note.parse_checkpoint(after.note, verifier)
            proof = restored.log.consistency_proof(old.size, new.size)
            assert merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
        finally:
            restored.close()


def test_no_personal_data_in_clear_with_the_cipher_on(settings: Settings) -> None:
    secret = Settings(
        **{**settings.model_dump(), "cipher_key": "SBm8g6j7YdNv4Ng6mJ2pqQFZ3qKwX8yZqv0Yp0n8yQE="}
    )
    world = make_world(secret)
    try:
        member = "3e3b0000-0000-4000-8000-0000000000aa"
        body = {
            "name": "演示姓名甲",
            "id_number": "110101199003070011",
            "member_type": "full",
            "joined_on": "2010-05-20",
            "full_on": "2011-05-20",
            "home": world.units["branch"],
        }
        world.append(member, "MemberRegistered", body, world.secretary, occurred_at="2026-01-05")
        world.system.bring_log_up_to_date()
    finally:
        world.system.close()
    db = RawDb(secret)
    try:
        blobs = [state for _, _, _, state in db.events()]
    finally:
        db.close()
    assert blobs
    for needle in ("演示姓名甲".encode(), b"110101199003070011"):
        assert all(needle not in blob for blob in blobs)
