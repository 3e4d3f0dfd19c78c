"""Tests of ledger.note: C2SP signed-note and tlog-checkpoint, with golang.org/x/mod/sumdb/note vectors."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ledger import note
from ledger.note import (
    BadSignatureError,
    Checkpoint,
    MalformedCheckpointError,
    MalformedNoteError,
    MalformedVerifierKeyError,
    NoteError,
    UnknownKeyError,
    VerifierKey,
    WrongOriginError,
    checkpoint_body,
    is_valid_key_name,
    key_hash,
    open_note,
    parse_checkpoint,
    parse_checkpoint_body,
    sign_checkpoint,
    sign_note,
)

VECTORS = Path(__file__).parent / "vectors"
EM_DASH = "\u2014"
ORIGIN = "ledger.example.org/dangyuan"


def private_key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


LEDGER_KEY = private_key("ledger")
LEDGER = VerifierKey.from_public_key(ORIGIN, LEDGER_KEY.public_key())
OTHER_KEY = private_key("other")
ROOT = hashlib.sha256(b"some root").digest()
CHECKPOINT = Checkpoint(ORIGIN, 4096, ROOT)


def load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------------------
# Keys.
# ---------------------------------------------------------------------------------------------------------


def test_key_hash_is_c2sp_ed25519_key_id() -> None:
    expected = hashlib.sha256(ORIGIN.encode() + b"\x0a\x01" + raw_public(LEDGER_KEY)).digest()[:4]
    assert key_hash(ORIGIN, LEDGER_KEY.public_key()) == expected == LEDGER.key_hash
    encoded = base64.b64encode(b"\x01" + raw_public(LEDGER_KEY)).decode()
    assert str(LEDGER) == LEDGER.encode() == f"{ORIGIN}+{expected.hex()}+{encoded}"
    assert VerifierKey.parse(str(LEDGER)) == LEDGER
    assert raw_public(LEDGER_KEY) == LEDGER.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    with pytest.raises(MalformedVerifierKeyError):
        key_hash("bad name", LEDGER_KEY.public_key())


def test_go_sumdb_verifier_keys() -> None:
    vectors = load("sumdb_note.json")
    for signer in vectors["signers"]:
        key = VerifierKey.parse(signer["verifier_key"])
        assert key.name == signer["name"]
        assert key.key_hash.hex() == signer["key_hash"]
        assert str(key) == signer["verifier_key"]
        if "ed25519_seed" in signer:
            seed = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signer["ed25519_seed"]))
            assert VerifierKey.from_public_key(signer["name"], seed.public_key()) == key
    for bad in vectors["bad_verifier_keys"]:
        with pytest.raises(MalformedVerifierKeyError):
            VerifierKey.parse(bad)


def test_every_mangled_verifier_key_is_rejected() -> None:
    text = load("sumdb_note.json")["signers"][0]["verifier_key"]
    for start in range(len(text) + 1):
        for end in range(start + 1, len(text) + 1):
            if (start, end) != (0, len(text)):
                with pytest.raises(MalformedVerifierKeyError):
                    VerifierKey.parse(text[start:end])
    for position in range(len(text)):
        mangled = text[:position] + chr(ord(text[position]) + 1) + text[position + 1 :]
        with pytest.raises(MalformedVerifierKeyError):
            VerifierKey.parse(mangled)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name",
        "name+12345678",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "a b+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
        "PeterNeumann+c74f20a3+ ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_malformed_verifier_keys(text: str) -> None:
    with pytest.raises(MalformedVerifierKeyError):
        VerifierKey.parse(text)


def test_key_names() -> None:
    for good in ["a", ORIGIN, "例子.cn/日志", "x-y_z.1/2"]:
        assert is_valid_key_name(good)
    for bad in [
        "",
        "a b",
        "a+b",
        "a\tb",
        "a\u00a0b",
        "a\u2003b",
        "a\u2028b",
        "a\u3000b",
        "a\x85b",
        "a\x01",
        "\ud800",
    ]:
        assert not is_valid_key_name(bad)
    with pytest.raises(MalformedVerifierKeyError):
        VerifierKey("a b", raw_public(LEDGER_KEY))
    with pytest.raises(MalformedVerifierKeyError):
        VerifierKey("ok", raw_public(LEDGER_KEY)[:31])


# ---------------------------------------------------------------------------------------------------------
# Signed notes: golang.org/x/mod/sumdb/note vectors.
# ---------------------------------------------------------------------------------------------------------


def go_vectors() -> tuple[str, dict[str, Any], dict[str, Any]]:
    vectors = load("sumdb_note.json")
    peter, enoch = vectors["signers"]
    return bytes.fromhex(vectors["text_hex"]).decode("utf-8"), peter, enoch


def test_go_sign_is_byte_exact() -> None:
    text, peter, _ = go_vectors()
    signer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(peter["ed25519_seed"]))
    assert sign_note(text, peter["name"], signer) == f"{text}\n{peter['signature_line']}\n"


def test_go_open() -> None:
    text, peter, enoch = go_vectors()
    peter_key, enoch_key = VerifierKey.parse(peter["verifier_key"]), VerifierKey.parse(enoch["verifier_key"])
    peter_line, enoch_line = peter["signature_line"] + "\n", enoch["signature_line"] + "\n"
    both = text + "\n" + peter_line + enoch_line
    assert open_note(both, peter_key) == text
    assert open_note(both, enoch_key) == text
    assert open_note(both.encode(), enoch_key) == text
    assert open_note(text + "\n" + peter_line + peter_line + enoch_line + enoch_line, peter_key) == text
    with pytest.raises(UnknownKeyError):
        open_note(both, LEDGER)
    with pytest.raises(UnknownKeyError):
        open_note(text + "\n" + enoch_line, peter_key)
    with pytest.raises(MalformedNoteError):
        open_note(text + "\n" + peter_line * 101, peter_key)
    assert open_note(text + "\n" + peter_line * 100, peter_key) == text
    # An extra base64 quantum inside a known key's signature: the line parses but cannot verify.
    with pytest.raises(BadSignatureError):
        open_note(text + "\n" + peter_line[:60] + "ABCD" + peter_line[60:], peter_key)
    bad_messages = [
        text,
        text + "\n",
        text + "\n" + peter_line[:-1],
        "\x01" + text + "\n" + peter_line,
        text + "\n" + EM_DASH + " Bad Name " + peter["signature_line"].split(" ")[2] + "\n",
        text + "\n" + peter_line + "Unexpected line.\n",
    ]
    for message in bad_messages:
        with pytest.raises(MalformedNoteError):
            open_note(message, peter_key)
    with pytest.raises(MalformedNoteError):
        open_note(b"\xff" + (text + "\n" + peter_line).encode(), peter_key)


# ---------------------------------------------------------------------------------------------------------
# Signed notes: our own.
# ---------------------------------------------------------------------------------------------------------


def test_sign_note_format() -> None:
    body = "hello\nworld\n"
    signed = sign_note(body, ORIGIN, LEDGER_KEY)
    assert signed.startswith(body + "\n" + EM_DASH + " " + ORIGIN + " ")
    assert signed.encode()[len(body) + 1 : len(body) + 5] == b"\xe2\x80\x94\x20"
    assert signed.endswith("\n") and signed.count("\n") == 4
    blob = base64.b64decode(signed.rstrip("\n").rsplit(" ", 1)[1], validate=True)
    assert len(blob) == 68 and blob[:4] == LEDGER.key_hash
    LEDGER_KEY.public_key().verify(blob[4:], body.encode())
    assert open_note(signed, LEDGER) == body


def test_note_text_may_contain_blank_lines() -> None:
    body = "first\n\nthird\n"
    assert open_note(sign_note(body, ORIGIN, LEDGER_KEY), LEDGER) == body


def test_tampered_body_byte_is_rejected() -> None:
    signed = sign_note(CHECKPOINT.body(), ORIGIN, LEDGER_KEY).encode()
    body_length = len(CHECKPOINT.body().encode())
    for position in range(body_length):
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        expected = BadSignatureError if signed[position] != 0x0A else MalformedNoteError
        with pytest.raises(expected):
            open_note(bytes(tampered), LEDGER)


def test_tampered_signature_is_rejected() -> None:
    signed = sign_note("body\n", ORIGIN, LEDGER_KEY)
    head, encoded = signed.rstrip("\n").rsplit(" ", 1)
    blob = bytearray(base64.b64decode(encoded))
    for position in range(4, len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x80
        with pytest.raises(BadSignatureError):
            open_note(f"{head} {base64.b64encode(tampered).decode()}\n", LEDGER)
    # A changed key ID makes it another key's signature: ignored, so none by ours remains.
    blob[0] ^= 0x80
    with pytest.raises(UnknownKeyError):
        open_note(f"{head} {base64.b64encode(blob).decode()}\n", LEDGER)


def test_wrong_key_or_name_is_unknown() -> None:
    signed = sign_note("body\n", ORIGIN, LEDGER_KEY)
    with pytest.raises(UnknownKeyError):
        open_note(signed, VerifierKey.from_public_key(ORIGIN, OTHER_KEY.public_key()))
    with pytest.raises(UnknownKeyError):
        open_note(signed, VerifierKey.from_public_key("other.example/log", LEDGER_KEY.public_key()))


def test_other_signatures_are_ignored() -> None:
    body = CHECKPOINT.body()
    ours = sign_note(body, ORIGIN, LEDGER_KEY).split("\n\n", 1)[1]
    theirs = sign_note(body, "witness.example/w1", OTHER_KEY).split("\n\n", 1)[1]
    foreign_blob = base64.b64encode(bytes.fromhex("12345678") + bytes(72)).decode()
    cosignature = f"{EM_DASH} witness.example/w2 {foreign_blob}\n"
    other_id_blob = base64.b64encode(bytes(4 + 64)).decode()
    same_name_other_id = f"{EM_DASH} {ORIGIN} {other_id_blob}\n"
    for signatures in [
        theirs + ours,
        ours + theirs,
        cosignature + ours + cosignature,
        same_name_other_id + ours,
        theirs + cosignature + ours + same_name_other_id,
    ]:
        assert open_note(body + "\n" + signatures, LEDGER) == body
    with pytest.raises(UnknownKeyError):
        open_note(body + "\n" + theirs + cosignature, LEDGER)


def test_any_bad_signature_by_our_key_rejects_the_note() -> None:
    body = "body\n"
    good = sign_note(body, ORIGIN, LEDGER_KEY).split("\n\n", 1)[1]
    other_body = sign_note("other\n", ORIGIN, LEDGER_KEY).split("\n\n", 1)[1]
    with pytest.raises(BadSignatureError):
        open_note(body + "\n" + good + other_body, LEDGER)
    with pytest.raises(BadSignatureError):
        open_note(body + "\n" + other_body + good, LEDGER)


@pytest.mark.parametrize(
    "signature_block",
    [
        "",
        "-- {name} {sig}\n",
        "\u2013 {name} {sig}\n",
        "{dash}{name} {sig}\n",
        "{dash} {name}  {sig}\n",
        "{dash} {name} {sig} \n",
        "{dash} {name}\n",
        "{dash} {name} \n",
        "{dash}  {sig}\n",
        "{dash} a+b {sig}\n",
        "{dash} {name} AAAA\n",
        "{dash} {name} {sig}",
        "{dash} {name} {sig}\n\n",
        "{dash} {name} {sig}\r\n",
        "{dash} {name} {sig}\nUnexpected line.\n",
        "{dash} {name} {sig_unpadded}\n",
        "{dash} {name} {sig_bad_char}\n",
    ],
)
def test_malformed_signature_lines(signature_block: str) -> None:
    body = "body\n"
    sig = sign_note(body, ORIGIN, LEDGER_KEY).rstrip("\n").rsplit(" ", 1)[1]
    block = signature_block.format(
        dash=EM_DASH,
        name=ORIGIN,
        sig=sig,
        sig_unpadded=sig.rstrip("="),
        sig_bad_char=sig[:10] + "*" + sig[11:],
    )
    with pytest.raises(MalformedNoteError):
        open_note(body + "\n" + block, LEDGER)


def test_malformed_notes() -> None:
    good = sign_note("body\n", ORIGIN, LEDGER_KEY)
    for bad in [
        "",
        "\n",
        good.replace("\n\n", "\n"),
        good.replace("body", "bo\x00dy"),
        good.replace("body", "bo\tdy"),
        good.replace("body", "bo\ud800dy"),
        good.replace("\n", "\r\n"),
    ]:
        with pytest.raises(MalformedNoteError):
            open_note(bad, LEDGER)
    with pytest.raises(MalformedNoteError):
        open_note(b"body\n\n" + good.split("\n\n")[1].encode()[:-3] + b"\xc3\n", LEDGER)


def test_sign_note_rejects_bad_input() -> None:
    for body, name in [
        ("no newline", ORIGIN),
        ("", ORIGIN),
        ("tab\there\n", ORIGIN),
        ("surrogate \ud800\n", ORIGIN),
        ("ok\n", "bad name"),
        ("ok\n", "a+b"),
        ("ok\n", ""),
    ]:
        with pytest.raises(MalformedNoteError):
            sign_note(body, name, LEDGER_KEY)


def test_errors_are_value_errors_with_one_line_messages() -> None:
    for error in [
        BadSignatureError,
        MalformedCheckpointError,
        MalformedNoteError,
        MalformedVerifierKeyError,
        UnknownKeyError,
        WrongOriginError,
    ]:
        assert issubclass(error, NoteError) and issubclass(error, ValueError)
    with pytest.raises(UnknownKeyError) as caught:
        open_note(sign_note("x\n", "someone", OTHER_KEY), LEDGER)
    assert "\n" not in str(caught.value) and str(LEDGER.key_hash.hex()) in str(caught.value)


# ---------------------------------------------------------------------------------------------------------
# Checkpoints.
# ---------------------------------------------------------------------------------------------------------


def test_checkpoint_body_format() -> None:
    body = checkpoint_body(ORIGIN, 4096, ROOT)
    assert body == f"{ORIGIN}\n4096\n{base64.b64encode(ROOT).decode()}\n"
    assert CHECKPOINT.body() == body
    assert checkpoint_body(ORIGIN, 0, ROOT).split("\n")[1] == "0"
    assert checkpoint_body(ORIGIN, 7, ROOT, ("ext one", "ext two")).endswith("\next one\next two\n")


def test_checkpoint_round_trip() -> None:
    for checkpoint in [
        CHECKPOINT,
        Checkpoint(ORIGIN, 0, ROOT),
        Checkpoint(ORIGIN, 2**64 - 1, ROOT, ("x", "y z")),
    ]:
        signed = sign_checkpoint(checkpoint, LEDGER_KEY)
        assert signed == sign_note(checkpoint.body(), ORIGIN, LEDGER_KEY)
        assert parse_checkpoint(signed, LEDGER) == checkpoint
        assert parse_checkpoint(signed.encode(), LEDGER, origin=ORIGIN) == checkpoint
        assert parse_checkpoint_body(open_note(signed, LEDGER)) == checkpoint


def test_checkpoint_for_another_origin_is_refused() -> None:
    other = Checkpoint("other.example/log", 5, ROOT)
    signed = sign_note(other.body(), ORIGIN, LEDGER_KEY)
    with pytest.raises(WrongOriginError):
        parse_checkpoint(signed, LEDGER)
    assert parse_checkpoint(signed, LEDGER, origin="other.example/log") == other
    with pytest.raises(UnknownKeyError):
        parse_checkpoint(sign_checkpoint(CHECKPOINT, OTHER_KEY), LEDGER)


def test_c2sp_checkpoint_example() -> None:
    example = load("c2sp_tlog_checkpoint.json")
    body = f"{example['origin']}\n{example['size']}\n{example['root_base64']}\n"
    checkpoint = parse_checkpoint_body(body)
    assert checkpoint == Checkpoint(example["origin"], example["size"], bytes.fromhex(example["root_hex"]))
    assert checkpoint.body() == body
    signed = f"{body}\n{EM_DASH} {example['signature_name']} {example['signature_base64']}\n"
    # Well-formed, but signed by a key we do not hold: ignored, so nothing verifies.
    with pytest.raises(UnknownKeyError):
        open_note(signed, LEDGER)


def _root_b64(root: bytes = ROOT) -> str:
    return base64.b64encode(root).decode()


def _non_canonical_root() -> str:
    text = _root_b64()
    last = text[-2]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    # The last character before "=" carries two unused bits: setting one keeps the bytes, breaks canonicity.
    changed = alphabet[alphabet.index(last) ^ 1]
    assert base64.b64decode(text[:-2] + changed + "=") == ROOT
    return text[:-2] + changed + "="


@pytest.mark.parametrize(
    "body",
    [
        "",
        f"{ORIGIN}\n4096\n{_root_b64()}",
        f"{ORIGIN}\n4096\n",
        f"{ORIGIN}\n4096\n\n",
        f"\n4096\n{_root_b64()}\n",
        f"{ORIGIN}\n04096\n{_root_b64()}\n",
        f"{ORIGIN}\n00\n{_root_b64()}\n",
        f"{ORIGIN}\n-1\n{_root_b64()}\n",
        f"{ORIGIN}\n+1\n{_root_b64()}\n",
        f"{ORIGIN}\n 1\n{_root_b64()}\n",
        f"{ORIGIN}\n1 \n{_root_b64()}\n",
        f"{ORIGIN}\n1.0\n{_root_b64()}\n",
        f"{ORIGIN}\n0x10\n{_root_b64()}\n",
        f"{ORIGIN}\n\u0661\n{_root_b64()}\n",
        f"{ORIGIN}\n{2**64}\n{_root_b64()}\n",
        f"{ORIGIN}\n4096\n{_root_b64(ROOT[:31])}\n",
        f"{ORIGIN}\n4096\n{_root_b64(ROOT + b'x')}\n",
        f"{ORIGIN}\n4096\n{_root_b64().rstrip('=')}\n",
        f"{ORIGIN}\n4096\n{_non_canonical_root()}\n",
        f"{ORIGIN}\n4096\n{ROOT.hex()}\n",
        f"{ORIGIN}\n4096\n{_root_b64()}\n\n",
        f"{ORIGIN}\n4096\n{_root_b64()}\next\n\n",
        f"{ORIGIN}\n4096\n{_root_b64()}\n\next\n",
        f"{ORIGIN}\r\n4096\n{_root_b64()}\n",
    ],
)
def test_malformed_checkpoint_bodies(body: str) -> None:
    with pytest.raises(MalformedCheckpointError):
        parse_checkpoint_body(body)


def test_signed_malformed_checkpoint_is_refused() -> None:
    signed = sign_note(f"{ORIGIN}\n01\n{_root_b64()}\n", ORIGIN, LEDGER_KEY)
    with pytest.raises(MalformedCheckpointError):
        parse_checkpoint(signed, LEDGER)


@pytest.mark.parametrize(
    ("origin", "size", "root", "extensions"),
    [
        ("", 1, ROOT, ()),
        ("a\nb", 1, ROOT, ()),
        ("a\x00b", 1, ROOT, ()),
        (ORIGIN, -1, ROOT, ()),
        (ORIGIN, 2**64, ROOT, ()),
        (ORIGIN, True, ROOT, ()),
        (ORIGIN, 1, ROOT[:31], ()),
        (ORIGIN, 1, ROOT.hex(), ()),
        (ORIGIN, 1, ROOT, ("",)),
        (ORIGIN, 1, ROOT, ("a\nb",)),
    ],
)
def test_checkpoint_body_rejects_bad_input(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    with pytest.raises(MalformedCheckpointError):
        checkpoint_body(origin, size, root, extensions)


def test_module_exports_exist() -> None:
    for name in note.__all__:
        assert hasattr(note, name)
