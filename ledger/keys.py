"""Ed25519 keys of actors and of the ledger: files, encodings, key ids, and statement signatures.

Implements DESIGN.md "Keys and identifiers" (key id = first 16 lowercase hex characters of SHA-256 of the
raw 32-byte public key; public keys and signatures in standard base64) and the signature rule of
"The one stored thing: a signed statement": ``Ed25519(key, "dangyuan-ledger/statement/v1\\n" || hash)``
over the 32 raw hash bytes. Ed25519 is RFC 8032; private key files are PKCS#8 PEM (RFC 5958, RFC 7468),
public key files SubjectPublicKeyInfo PEM (RFC 8410). Uses ``cryptography``; nothing here knows about
statements beyond their 32-byte hash.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "STATEMENT_CONTEXT",
    "KeyEncodingError",
    "KeyFileError",
    "generate",
    "key_id",
    "load_private_key",
    "load_public_key_pem",
    "public_key_b64",
    "public_key_bytes",
    "public_key_from_b64",
    "save_private_key",
    "save_public_key_pem",
    "sign_statement_hash",
    "verify_statement_signature",
]

STATEMENT_CONTEXT = b"dangyuan-ledger/statement/v1\n"
"""Domain-separation prefix signed before a statement hash (DESIGN.md, "The one stored thing"), so a
statement signature can never be replayed as a signature over anything else the same key signs."""

_PUBLIC_KEY_LEN = 32
_SIGNATURE_LEN = 64
_HASH_LEN = 32


class KeyFileError(ValueError):
    """A key file cannot be read or written as asked; the message is one line a user can act on."""


class KeyEncodingError(ValueError):
    """A public key given as text (base64) is malformed: bad base64, non-canonical, or not 32 bytes."""


def generate() -> Ed25519PrivateKey:
    """Make a new Ed25519 key (RFC 8032) for an actor or the ledger (DESIGN.md "Keys and identifiers")."""
    return Ed25519PrivateKey.generate()


def _write_new_file(path: Path, data: bytes, mode: int, overwrite: bool) -> None:
    """Write ``data`` to ``path`` with ``mode`` from its first byte on.

    Without ``overwrite`` the file is created with ``O_EXCL``, so an existing key is never clobbered, not
    even by a race. With it, the data goes to a temporary file in the same directory that then replaces
    ``path`` atomically, so a crash never leaves a half-written key where a whole one was.
    """
    if not overwrite:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            raise KeyFileError(
                f"refusing to overwrite existing key file {path} (pass overwrite=True)"
            ) from None
        except OSError as exc:
            raise KeyFileError(f"cannot write key file {path}: {exc.strerror or exc}") from exc
        target = path
    else:
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise KeyFileError(f"cannot write key file {path}: {exc.strerror or exc}") from exc
        target = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # O_CREAT's mode is reduced by the umask; set it exactly
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(target, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink()
        raise KeyFileError(f"cannot write key file {path}: {exc.strerror or exc}") from exc


def save_private_key(
    key: Ed25519PrivateKey,
    path: str | os.PathLike[str],
    passphrase: str | None,
    *,
    overwrite: bool = False,
) -> None:
    """Write ``key`` as PKCS#8 PEM (RFC 5958/7468), readable by the owner only (mode 0o600).

    With a passphrase the file is encrypted (``BestAvailableEncryption``: PBES2 in current
    ``cryptography``); ``None`` writes it in the clear, for keys protected otherwise (e.g. the ledger
    key on a locked-down host). An empty passphrase is refused: it would look protected and not be.
    An existing file is kept unless ``overwrite=True``. Raises ``KeyFileError``.
    """
    encryption: serialization.KeySerializationEncryption
    if passphrase is None:
        encryption = serialization.NoEncryption()
    elif passphrase == "":
        raise KeyFileError("empty passphrase: give a real one, or None for an unencrypted key file")
    else:
        encryption = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    _write_new_file(Path(path), pem, 0o600, overwrite)


def _read_key_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"key file not found: {path}") from None
    except IsADirectoryError:
        raise KeyFileError(f"key file is a directory: {path}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror or exc}") from exc


def load_private_key(path: str | os.PathLike[str], passphrase: str | None) -> Ed25519PrivateKey:
    """Read an Ed25519 private key written by ``save_private_key`` (or any PKCS#8 PEM Ed25519 key).

    Raises ``KeyFileError`` with one line saying what is wrong: the file is missing, it needs a
    passphrase, the passphrase is wrong, a passphrase was given for an unencrypted file (refused so that
    nobody believes an unprotected key is protected), it is not a PEM private key, or not Ed25519.
    """
    file = Path(path)
    data = _read_key_file(file)
    encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data or b"Proc-Type: 4,ENCRYPTED" in data
    if encrypted and passphrase is None:
        raise KeyFileError(f"key file {file} is encrypted: a passphrase is needed")
    if not encrypted and passphrase is not None and b"-----BEGIN " in data:
        raise KeyFileError(f"key file {file} is not encrypted, but a passphrase was given")
    password = None if passphrase is None else passphrase.encode("utf-8")
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        if encrypted:
            raise KeyFileError(f"wrong passphrase for key file {file} (or the file is damaged)") from exc
        raise KeyFileError(f"{file} is not a PEM private key file") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{file} holds a key of type {_algorithm_name(key)}, not Ed25519")
    return key


def _algorithm_name(key: object) -> str:
    """Short algorithm name for messages, e.g. ``RSA`` for ``RSAPrivateKey``."""
    name = type(key).__name__
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.removesuffix(suffix)
    return name or "non-Ed25519"


def save_public_key_pem(
    public_key: Ed25519PublicKey,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> None:
    """Write a public key as SubjectPublicKeyInfo PEM (RFC 8410 §4, RFC 7468 §13), mode 0o644.

    For handing an actor's or the ledger's verifier key to others (enrolment, offline verification).
    An existing file is kept unless ``overwrite=True``. Raises ``KeyFileError``.
    """
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    _write_new_file(Path(path), pem, 0o644, overwrite)


def load_public_key_pem(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """Read a SubjectPublicKeyInfo PEM Ed25519 public key (the counterpart of ``save_public_key_pem``).

    Raises ``KeyFileError`` if the file is missing, not a PEM public key, or not Ed25519.
    """
    file = Path(path)
    data = _read_key_file(file)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{file} is not a PEM public key file") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{file} holds a key of type {_algorithm_name(key)}, not Ed25519")
    return key


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key (RFC 8032 §5.1.5): the input of ``key_id`` and of ``public_key_b64``."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    """Standard base64 (RFC 4648 §4, padded) of the raw public key, as ``KeyEnrolled.public_key`` holds it.

    DESIGN.md "Keys and identifiers": ``{"public_key": "<base64 of raw 32 bytes>"}``.
    """
    return base64.b64encode(public_key_bytes(public_key)).decode("ascii")


def _strict_b64decode(text: str) -> bytes | None:
    """Decode canonical, padded standard base64, or return None.

    Refuses other alphabets, missing padding, whitespace, and encodings whose unused trailing bits are
    not zero, so each byte string has exactly one accepted text form.
    """
    if not isinstance(text, str) or not text.isascii():
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    """Parse the base64 form written by ``public_key_b64`` (e.g. from a ``KeyEnrolled`` body).

    Raises ``KeyEncodingError`` for anything but canonical padded standard base64 of exactly 32 bytes.
    """
    raw = _strict_b64decode(text)
    if raw is None:
        raise KeyEncodingError("public key is not canonical standard base64")
    if len(raw) != _PUBLIC_KEY_LEN:
        raise KeyEncodingError(f"public key is {len(raw)} bytes, an Ed25519 public key is 32")
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:  # pragma: no cover - cryptography accepts every 32-byte string today
        raise KeyEncodingError(f"not an Ed25519 public key: {exc}") from exc


def key_id(public_key: Ed25519PublicKey) -> str:
    """The key id of DESIGN.md "Keys and identifiers": first 16 lowercase hex of SHA-256(raw 32 bytes)."""
    return hashlib.sha256(public_key_bytes(public_key)).hexdigest()[:16]


def sign_statement_hash(key: Ed25519PrivateKey, hash32: bytes) -> str:
    """Sign a statement hash: standard base64 of Ed25519(key, ``STATEMENT_CONTEXT`` || hash32).

    DESIGN.md "The one stored thing": the 32 raw bytes of SHA-256(JCS(statement)) follow the context
    line. Raises ``ValueError`` unless ``hash32`` is exactly 32 bytes (a hex string is a mistake here).
    """
    if not isinstance(hash32, bytes) or len(hash32) != _HASH_LEN:
        raise ValueError("a statement hash is 32 raw bytes (not hex)")
    return base64.b64encode(key.sign(STATEMENT_CONTEXT + hash32)).decode("ascii")


def verify_statement_signature(public_key: Ed25519PublicKey, hash32: bytes, signature_b64: str) -> bool:
    """Whether ``signature_b64`` is this key's signature over ``STATEMENT_CONTEXT`` || ``hash32``.

    The check the server and offline verifiers make for every statement (DESIGN.md "The one stored
    thing", "Verification"). Never raises on malformed input: wrong types, bad or non-canonical base64,
    wrong lengths all give ``False``.
    """
    if not isinstance(hash32, bytes) or len(hash32) != _HASH_LEN:
        return False
    signature = _strict_b64decode(signature_b64)
    if signature is None or len(signature) != _SIGNATURE_LEN:
        return False
    try:
        public_key.verify(signature, STATEMENT_CONTEXT + hash32)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
