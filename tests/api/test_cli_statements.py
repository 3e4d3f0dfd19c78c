"""``ledger keygen``, ``enrol``, ``sign`` and ``submit`` as a user runs them (subprocesses), JSON and YAML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ledger import keys
from ledger.settings import Settings
from ledger.statement import statement_hash
from ledger.system import open_ledger
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
    rival = {**json.loads(draft.read_text()), "body": {**body, "amount_fen": 900}}
    rival |= {"seq": 2, "prev": item["statement"]["prev"], "ledger": item["statement"]["ledger"]}
    (tmp_path / "rival.json").write_text(json.dumps(rival))
    signed_rival = run(settings, "sign", str(tmp_path / "rival.json"), "--key", str(tmp_path / "clerk.pem"),
                       "--actor", actor)  # fmt: skip
    assert signed_rival.returncode == 0, signed_rival.stderr
    (tmp_path / "batch.json").write_text(json.dumps([json.loads(signed_rival.stdout)]))

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


def _yaml_of(item: dict[str, Any] | list[Any]) -> str:
    """The item as YAML with every date written bare (``2026-03-14``), as a person would write it."""
    return re.sub(r"'(\d{4}-\d{2}-\d{2})'", r"\1", yaml.safe_dump(item, allow_unicode=True, sort_keys=False))


def test_sign_and_submit_read_yaml_with_bare_dates(settings: Settings, tmp_path: Path) -> None:
    world = make_world(settings)
    clerk = world.enrol(["BST"])
    member = world.member()
    world.system.close()
    key = tmp_path / "clerk.pem"
    keys.save_private_key(clerk.key, key, None)
    body = {"kind": "dues", "period": "2026-02", "amount_fen": 1500}
    draft = {"stream": member, "type": "ParticipationRecorded", "occurred_at": "2026-03-14", "body": body}
    (tmp_path / "dues.json").write_text(json.dumps(draft))
    written = _yaml_of(draft)
    assert "occurred_at: 2026-03-14" in written
    (tmp_path / "dues.yaml").write_text(written)
    (tmp_path / "dues.draft").write_text(written)  # no telling extension: sniffed as YAML

    signed = [run(settings, "sign", str(tmp_path / name), "--key", str(key), "--actor", clerk.id)
              for name in ("dues.json", "dues.yaml", "dues.draft")]  # fmt: skip
    assert all(result.returncode == 0 for result in signed), [result.stderr for result in signed]
    item, *others = [json.loads(result.stdout) for result in signed]
    assert others == [item, item]  # the same signature: Ed25519 signs the same canonical bytes alike
    assert item["statement"]["occurred_at"] == "2026-03-14"

    (tmp_path / "dues.signed.yml").write_text(_yaml_of([item]))
    submitted = run(settings, "submit", str(tmp_path / "dues.signed.yml"))
    assert submitted.returncode == 0, submitted.stderr
    system = open_ledger(settings)
    try:
        stored = system.ledger.read_stream(member)[-1]
    finally:
        system.close()
    assert stored.statement == item["statement"]
    assert stored.hash == statement_hash(item["statement"]).hex()


def test_bad_yaml_is_one_line(settings: Settings, tmp_path: Path) -> None:
    make_world(settings).system.close()
    cases = {
        "unclosed.yaml": "statement: [1, 2\n",
        "tabs.yml": "statement:\n\t- x\n",
        "twice.yaml": "statement: {}\nstatement: {}\nsignature: x\n",
        "numbered.yaml": "1: x\n",
        "float.yaml": "statement: {seq: 1.5}\nsignature: x\n",
        "two.yaml": "a: 1\n---\nb: 2\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        assert_one_line_error(run(settings, "submit", str(tmp_path / name)))
    unclosed = run(settings, "sign", str(tmp_path / "unclosed.yaml"), "--key", "k.pem", "--actor", "x")
    assert_one_line_error(unclosed)
    assert "is not YAML" in unclosed.stderr and "line 2" in unclosed.stderr
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    assert_one_line_error(run(settings, "sign", str(tmp_path / "list.yaml"), "--key", "k", "--actor", "x"))
