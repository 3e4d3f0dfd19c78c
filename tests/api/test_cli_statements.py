"""``ledger keygen``, ``enrol``, ``sign`` and ``submit`` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ledger.settings import Settings
from tests.test_cli import assert_one_line_error, run
from tests.world import make_world


def test_keygen_enrol_sign_submit(settings: Settings, tmp_path: Path) -> None:
    world = make_world(settings)
    actor = world.enrol(["BST"]).id  # registered in the branch; the CLI gives it a second key
    member = world.member()
    world.system.close()
    admin_key = str(settings.home / "keys" / "root-admin.pem")

    made = run(settings, "keygen", "--out", str(tmp_path / "clerk.pem"))
    assert made.returncode == 0, made.stderr
    public = re.search(r"public_key (\S+)", made.stdout)
    assert public and re.search(r"key_id [0-9a-f]{16}", made.stdout)
    assert_one_line_error(run(settings, "keygen", "--out", str(tmp_path / "clerk.pem")))

    enrolled = run(
        settings,
        "enrol",
        actor,
        "--public-key",
        public.group(1),
        "--as-key",
        admin_key,
        "--as-actor",
        world.admin.id,
    )
    assert enrolled.returncode == 0, enrolled.stderr

    draft = tmp_path / "dues.json"
    body = {"kind": "dues", "period": "2026-02", "amount_fen": 1500}
    draft.write_text(
        json.dumps(
            {"stream": member, "type": "ParticipationRecorded", "occurred_at": "2026-03-14", "body": body}
        )
    )
    signed = run(settings, "sign", str(draft), "--key", str(tmp_path / "clerk.pem"), "--actor", actor)
    assert signed.returncode == 0, signed.stderr
    item = json.loads(signed.stdout)
    assert item["statement"]["seq"] == 2 and item["statement"]["actor"] == actor
    (tmp_path / "dues.signed.json").write_text(signed.stdout)
    (tmp_path / "batch.json").write_text(json.dumps([item]))

    submitted = run(settings, "submit", str(tmp_path / "dues.signed.json"))
    assert submitted.returncode == 0, submitted.stderr
    assert member in submitted.stdout
    assert_one_line_error(run(settings, "submit", str(tmp_path / "batch.json")))  # stale now: one line
    verified = run(settings, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_bad_input_is_one_line(settings: Settings, tmp_path: Path) -> None:
    make_world(settings).system.close()
    (tmp_path / "bad.json").write_text('{"statement": {"seq": 1.5}, "signature": "x"}')
    assert_one_line_error(run(settings, "submit", str(tmp_path / "bad.json")))
    (tmp_path / "draft.json").write_text("[]")
    assert_one_line_error(
        run(settings, "sign", str(tmp_path / "draft.json"), "--key", "nope.pem", "--actor", "x")
    )
    assert_one_line_error(
        run(settings, "enrol", "not-a-uuid", "--public-key", "x", "--as-key", "k", "--as-actor", "y")
    )
