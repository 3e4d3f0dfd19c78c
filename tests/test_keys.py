"""Tests for ledger.keys: key files, encodings, key ids, statement signatures."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.keys import (
    STATEMENT_CONTEXT,
    KeyEncodingError,
    KeyFileError,
    generate,
    key_id,
    load_private_key,
    load_public_key_pem,
    public_key_b64,
    public_key_bytes,
    public_key_from_b64,
    save_private_key,
    save_public_key_pem,
    sign_statement_hash,
    verify_statement_signature,
)

# RFC 8032 §7.1, TEST 1: secret key and the public key derived from it.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
EMPTY_SHA256 = hashlib.sha256(b"").digest()


@pytest.fixture
def rfc_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET)


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """Run with umask 0, so a file mode of 0o600 must come from the code, not from the environment."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


# --- key files -----------------------------------------------------------------------------------------


def test_generate_makes_distinct_ed25519_keys() -> None:
    first, second = generate(), generate()
    assert isinstance(first, Ed25519PrivateKey)
    assert public_key_bytes(first.public_key()) != public_key_bytes(second.public_key())


def test_round_trip_without_passphrase(tmp_path: Path, rfc_key: Ed25519PrivateKey, umask_zero: None) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(rfc_key, path, None)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert _mode(path) == 0o600
    assert _raw_private(load_private_key(path, None)) == RFC8032_SECRET
    assert _raw_private(load_private_key(str(path), None)) == RFC8032_SECRET


@pytest.mark.parametrize("passphrase", ["correct horse", "党员密码 ✓"])
def test_round_trip_with_passphrase(tmp_path: Path, passphrase: str, umask_zero: None) -> None:
    key = generate()
    path = tmp_path / "actor.pem"
    save_private_key(key, path, passphrase)
    data = path.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert _raw_private(key) not in data
    assert _mode(path) == 0o600
    assert _raw_private(load_private_key(path, passphrase)) == _raw_private(key)


def _one_line_error(excinfo: pytest.ExceptionInfo[KeyFileError], *fragments: str) -> None:
    message = str(excinfo.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_wrong_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(generate(), path, "right")
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(path, "wrong")
    _one_line_error(excinfo, "wrong passphrase", str(path))


def test_passphrase_needed(tmp_path: Path) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(generate(), path, "secret")
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(path, None)
    _one_line_error(excinfo, "is encrypted: a passphrase is needed", str(path))


def test_passphrase_given_for_unencrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(generate(), path, None)
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(path, "secret")
    _one_line_error(excinfo, "is not encrypted, but a passphrase was given")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(tmp_path / "nope.pem", None)
    _one_line_error(excinfo, "key file not found", "nope.pem")
    with pytest.raises(KeyFileError, match="key file not found"):
        load_public_key_pem(tmp_path / "nope.pub.pem")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="is a directory"):
        load_private_key(tmp_path, None)


def test_not_an_ed25519_key(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    other = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(path, None)
    _one_line_error(excinfo, "not Ed25519")
    public_path = tmp_path / "ec.pub.pem"
    public_path.write_bytes(
        other.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(KeyFileError, match="not Ed25519"):
        load_public_key_pem(public_path)


@pytest.mark.parametrize(
    "content", [b"", b"garbage", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]
)
def test_not_a_pem_private_key(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pem"
    path.write_bytes(content)
    with pytest.raises(KeyFileError) as excinfo:
        load_private_key(path, None)
    _one_line_error(excinfo, "is not a PEM private key file")


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(generate(), path, None)
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="refusing to overwrite existing key file"):
        save_private_key(generate(), path, None)
    assert path.read_bytes() == before


def test_overwrite_when_asked_keeps_mode_0600(tmp_path: Path, umask_zero: None) -> None:
    path = tmp_path / "actor.pem"
    path.write_bytes(b"old")
    path.chmod(0o644)
    key = generate()
    save_private_key(key, path, "pw", overwrite=True)
    assert _mode(path) == 0o600
    assert _raw_private(load_private_key(path, "pw")) == _raw_private(key)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actor.pem"]  # no temporary file left


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="empty passphrase"):
        save_private_key(generate(), tmp_path / "actor.pem", "")
    assert not (tmp_path / "actor.pem").exists()


def test_unwritable_directory(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot write key file"):
        save_private_key(generate(), tmp_path / "missing-dir" / "actor.pem", None)


def test_public_key_pem_round_trip(tmp_path: Path, rfc_key: Ed25519PrivateKey) -> None:
    path = tmp_path / "actor.pub.pem"
    save_public_key_pem(rfc_key.public_key(), path)
    assert path.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert public_key_bytes(load_public_key_pem(path)) == RFC8032_PUBLIC
    with pytest.raises(KeyFileError, match="refusing to overwrite"):
        save_public_key_pem(rfc_key.public_key(), path)
    save_public_key_pem(generate().public_key(), path, overwrite=True)
    assert public_key_bytes(load_public_key_pem(path)) != RFC8032_PUBLIC


def test_private_key_file_is_not_a_public_key_file(tmp_path: Path) -> None:
    path = tmp_path / "actor.pem"
    save_private_key(generate(), path, None)
    with pytest.raises(KeyFileError, match="is not a PEM public key file"):
        load_public_key_pem(path)


def test_errors_are_value_errors() -> None:
    assert issubclass(KeyFileError, ValueError)
    assert issubclass(KeyEncodingError, ValueError)


# --- encodings and key ids -----------------------------------------------------------------------------


def test_public_key_bytes_match_rfc8032(rfc_key: Ed25519PrivateKey) -> None:
    assert public_key_bytes(rfc_key.public_key()) == RFC8032_PUBLIC


def test_key_id_known_answer(rfc_key: Ed25519PrivateKey) -> None:
    expected = hashlib.sha256(RFC8032_PUBLIC).hexdigest()[:16]
    assert expected == "21fe31dfa154a261"
    assert key_id(rfc_key.public_key()) == expected


def test_public_key_b64_round_trip(rfc_key: Ed25519PrivateKey) -> None:
    text = public_key_b64(rfc_key.public_key())
    assert text == base64.b64encode(RFC8032_PUBLIC).decode()
    assert text == "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    assert public_key_bytes(public_key_from_b64(text)) == RFC8032_PUBLIC


@pytest.mark.parametrize(
    "text",
    [
        "",
        base64.b64encode(RFC8032_PUBLIC[:31]).decode(),  # 31 bytes
        base64.b64encode(RFC8032_PUBLIC + b"\0").decode(),  # 33 bytes
        base64.b64encode(RFC8032_PUBLIC * 2).decode(),  # 64 bytes
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo",  # padding missing
        "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=",  # URL-safe alphabet
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n",  # trailing newline
        " 11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",  # leading space
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp=",  # non-zero unused bits: same bytes, other text
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHUR°=",  # non-ASCII
        "not base64 at all!",
    ],
)
def test_public_key_from_b64_refusals(text: str) -> None:
    with pytest.raises(KeyEncodingError):
        public_key_from_b64(text)


def test_public_key_from_b64_refuses_non_str() -> None:
    bad: Any = base64.b64encode(RFC8032_PUBLIC)
    with pytest.raises(KeyEncodingError):
        public_key_from_b64(bad)


# --- statement signatures ------------------------------------------------------------------------------


def test_statement_context_is_exact() -> None:
    assert STATEMENT_CONTEXT == b"dangyuan-ledger/statement/v1\n"


def test_signature_is_over_context_and_raw_hash(rfc_key: Ed25519PrivateKey) -> None:
    signature_b64 = sign_statement_hash(rfc_key, EMPTY_SHA256)
    signature = base64.b64decode(signature_b64, validate=True)
    assert len(signature) == 64
    assert base64.b64encode(signature).decode() == signature_b64
    # Checked with cryptography directly, over the message spelled out here rather than via the module.
    public = Ed25519PublicKey.from_public_bytes(RFC8032_PUBLIC)
    public.verify(signature, b"dangyuan-ledger/statement/v1\n" + EMPTY_SHA256)
    assert verify_statement_signature(public, EMPTY_SHA256, signature_b64)
    # Ed25519 is deterministic (RFC 8032 §5.1.6): pin the value so a change of message layout shows.
    assert signature_b64 == (
        "M1gOOZ3qRHRMxyIiQe15jDwhg5q8jUqQevmELggJ/OzNaXqEBq/70JuOcuEcp1M2ZWDbTGNiYq01hsRJDogdCg=="
    )


def test_signature_without_context_is_refused(rfc_key: Ed25519PrivateKey) -> None:
    bare = base64.b64encode(rfc_key.sign(EMPTY_SHA256)).decode()
    hex_signed = base64.b64encode(rfc_key.sign(STATEMENT_CONTEXT + EMPTY_SHA256.hex().encode())).decode()
    assert not verify_statement_signature(rfc_key.public_key(), EMPTY_SHA256, bare)
    assert not verify_statement_signature(rfc_key.public_key(), EMPTY_SHA256, hex_signed)


def test_tampered_hash_fails() -> None:
    key = generate()
    digest = hashlib.sha256(b"statement").digest()
    signature = sign_statement_hash(key, digest)
    assert verify_statement_signature(key.public_key(), digest, signature)
    for bit in (0, 7, 100, 255):
        tampered = bytearray(digest)
        tampered[bit // 8] ^= 1 << (bit % 8)
        assert not verify_statement_signature(key.public_key(), bytes(tampered), signature)


def test_tampered_signature_fails() -> None:
    key = generate()
    digest = hashlib.sha256(b"statement").digest()
    raw = bytearray(base64.b64decode(sign_statement_hash(key, digest)))
    for bit in (0, 255, 256, 511):
        tampered = bytearray(raw)
        tampered[bit // 8] ^= 1 << (bit % 8)
        assert not verify_statement_signature(key.public_key(), digest, base64.b64encode(tampered).decode())


def test_other_key_fails() -> None:
    digest = hashlib.sha256(b"statement").digest()
    signature = sign_statement_hash(generate(), digest)
    assert not verify_statement_signature(generate().public_key(), digest, signature)


def test_non_canonical_base64_of_a_good_signature_fails(rfc_key: Ed25519PrivateKey) -> None:
    good = sign_statement_hash(rfc_key, EMPTY_SHA256)
    assert good.endswith("Cg==")
    other_text = good[:-3] + "h=="  # 'C'->'h' changes only the 4 unused trailing bits
    assert base64.b64decode(other_text) == base64.b64decode(good)
    assert not verify_statement_signature(rfc_key.public_key(), EMPTY_SHA256, other_text)
    assert not verify_statement_signature(rfc_key.public_key(), EMPTY_SHA256, good.rstrip("="))
    assert not verify_statement_signature(rfc_key.public_key(), EMPTY_SHA256, good + "\n")


@pytest.mark.parametrize(
    ("digest", "signature"),
    [
        (EMPTY_SHA256, ""),
        (EMPTY_SHA256, "!!!!"),
        (EMPTY_SHA256, "A" * 88),
        (EMPTY_SHA256, "A" * 86 + "=="),  # 64 zero bytes
        (EMPTY_SHA256, base64.b64encode(b"\xff" * 64).decode()),  # S >= L
        (EMPTY_SHA256, base64.b64encode(b"\0" * 63).decode()),
        (EMPTY_SHA256, "é" * 88),
        (EMPTY_SHA256, None),
        (EMPTY_SHA256, b"bytes"),
        (EMPTY_SHA256, 123),
        (EMPTY_SHA256.hex(), "A" * 86 + "=="),
        (EMPTY_SHA256[:31], "A" * 86 + "=="),
        (None, "A" * 86 + "=="),
        (bytearray(EMPTY_SHA256), "A" * 86 + "=="),
    ],
)
def test_garbage_returns_false(rfc_key: Ed25519PrivateKey, digest: Any, signature: Any) -> None:
    assert verify_statement_signature(rfc_key.public_key(), digest, signature) is False


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(
        st.text(max_size=100), st.binary(min_size=64, max_size=64).map(lambda b: base64.b64encode(b).decode())
    )
)
def test_property_garbage_never_raises(signature: str) -> None:
    public = Ed25519PublicKey.from_public_bytes(RFC8032_PUBLIC)
    assert verify_statement_signature(public, EMPTY_SHA256, signature) is False


@pytest.mark.parametrize("digest", [EMPTY_SHA256.hex(), EMPTY_SHA256[:31], EMPTY_SHA256 + b"\0", "x"])
def test_sign_refuses_anything_but_32_raw_bytes(rfc_key: Ed25519PrivateKey, digest: Any) -> None:
    with pytest.raises(ValueError, match="32 raw bytes"):
        sign_statement_hash(rfc_key, digest)
