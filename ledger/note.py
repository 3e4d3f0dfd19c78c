"""C2SP signed-note (Ed25519) and C2SP tlog-checkpoint: the signed form of the ledger's tree heads.

The ledger publishes its Merkle tree heads as checkpoints (c2sp.org/tlog-checkpoint) wrapped in signed
notes (c2sp.org/signed-note) so that inspectors and third-party witnesses can check them with the
tools of the transparency-log ecosystem (DESIGN.md, "The global log and checkpoints" and "Keys and
identifiers"). A signed note is::

    <text ending in a newline>
    <blank line>
    — <key name> <base64(4-byte key ID || Ed25519 signature over the text)>

The key ID is SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4], and a verifier key is shared
as ``<name>+<8 hex key ID>+<base64(0x01 || public key)>`` (the golang.org/x/mod/sumdb/note form).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "ED25519_SIGNATURE_TYPE",
    "MAX_SIGNATURES",
    "BadSignatureError",
    "Checkpoint",
    "MalformedCheckpointError",
    "MalformedNoteError",
    "MalformedVerifierKeyError",
    "NoteError",
    "UnknownKeyError",
    "VerifierKey",
    "WrongOriginError",
    "checkpoint_body",
    "is_valid_key_name",
    "key_hash",
    "open_note",
    "parse_checkpoint",
    "parse_checkpoint_body",
    "sign_checkpoint",
    "sign_note",
]

ED25519_SIGNATURE_TYPE = 0x01
"""C2SP signed-note §"Signature types": the identifier byte of Ed25519 signatures."""

MAX_SIGNATURES = 100
"""Most signature lines accepted in one note (C2SP asks for at least 16; Go's sumdb/note allows 100)."""

_SIGNATURE_PREFIX = "\u2014 "  # EM DASH, SPACE
_HASH_SIZE = 32
_MAX_TREE_SIZE = 2**64 - 1
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")
_DECIMAL = re.compile("0|[1-9][0-9]*")
_KEY_ID_HEX = re.compile("[0-9a-f]{8}")
# Go's unicode.IsSpace, which sumdb/note uses to validate key names: these plus categories Zs, Zl, Zp.
_EXTRA_SPACES = frozenset("\t\n\v\f\r\x85")


class NoteError(ValueError):
    """A note, verifier key or checkpoint was rejected; the subclass says why."""


class MalformedNoteError(NoteError):
    """The text is not a well-formed C2SP signed note."""


class MalformedVerifierKeyError(NoteError):
    """The text is not a valid ``<name>+<key ID>+<base64 key>`` Ed25519 verifier key."""


class UnknownKeyError(NoteError):
    """The note carries no signature by the expected key (signatures by other keys are ignored)."""


class BadSignatureError(NoteError):
    """A signature line names the expected key, but its signature does not verify over the note text."""


class MalformedCheckpointError(NoteError):
    """The note text is not a well-formed C2SP tlog-checkpoint body."""


class WrongOriginError(NoteError):
    """The checkpoint is signed by the expected key but names another log as its origin."""


def is_valid_key_name(name: str) -> bool:
    """C2SP signed-note: a key name is non-empty UTF-8 without Unicode spaces or ``+``.

    Control characters are refused as well, since a note may not contain them.
    """
    if not isinstance(name, str) or not name or "+" in name:
        return False
    for char in name:
        if char < "\x20" or char in _EXTRA_SPACES or unicodedata.category(char) in ("Zs", "Zl", "Zp"):
            return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _key_hash_raw(name: str, raw_public_key: bytes) -> bytes:
    material = name.encode("utf-8") + b"\n" + bytes([ED25519_SIGNATURE_TYPE]) + raw_public_key
    return hashlib.sha256(material).digest()[:4]


def key_hash(name: str, public_key: Ed25519PublicKey) -> bytes:
    """C2SP signed-note Ed25519 key ID: SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]."""
    if not is_valid_key_name(name):
        raise MalformedVerifierKeyError(f"invalid key name {name!r}: empty, or contains a space or '+'")
    return _key_hash_raw(name, _raw_public_key(public_key))


def _b64decode(text: str) -> bytes | None:
    """Standard base64 (RFC 4648 §4) with padding and nothing outside the alphabet, or None."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class VerifierKey:
    """A named Ed25519 public key as C2SP signed-note verifiers know it: the trust anchor an inspector
    holds for the ledger's checkpoints (``<origin>+<key ID>+<base64(0x01 || key)>``)."""

    name: str
    public_key_bytes: bytes
    key_hash: bytes = field(init=False)
    _public_key: Ed25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not is_valid_key_name(self.name):
            raise MalformedVerifierKeyError(
                f"invalid key name {self.name!r}: empty, or contains a space or '+'"
            )
        if not isinstance(self.public_key_bytes, bytes) or len(self.public_key_bytes) != 32:
            raise MalformedVerifierKeyError("an Ed25519 public key is 32 bytes")
        try:
            public_key = Ed25519PublicKey.from_public_bytes(self.public_key_bytes)
        except ValueError as error:
            raise MalformedVerifierKeyError(f"invalid Ed25519 public key: {error}") from None
        object.__setattr__(self, "key_hash", _key_hash_raw(self.name, self.public_key_bytes))
        object.__setattr__(self, "_public_key", public_key)

    @classmethod
    def from_public_key(cls, name: str, public_key: Ed25519PublicKey) -> VerifierKey:
        """The verifier key of ``public_key`` under ``name`` (for the ledger key: its origin)."""
        return cls(name, _raw_public_key(public_key))

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Parse and check ``<name>+<8 lowercase hex key ID>+<base64(0x01 || 32-byte key)>``.

        Raises :class:`MalformedVerifierKeyError` if any part is malformed, the signature type is not
        Ed25519, or the key ID does not match the name and key.
        """
        if not isinstance(text, str):
            raise MalformedVerifierKeyError("a verifier key is a string")
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise MalformedVerifierKeyError("a verifier key has the form <name>+<key ID>+<base64 key>")
        name, key_id, encoded = parts
        if not is_valid_key_name(name):
            raise MalformedVerifierKeyError(f"invalid key name {name!r} in verifier key")
        if not _KEY_ID_HEX.fullmatch(key_id):
            raise MalformedVerifierKeyError("the key ID of a verifier key is 8 lowercase hex digits")
        raw = _b64decode(encoded)
        if raw is None or base64.b64encode(raw).decode("ascii") != encoded:
            raise MalformedVerifierKeyError("the key of a verifier key is not canonical standard base64")
        if len(raw) == 0 or raw[0] != ED25519_SIGNATURE_TYPE:
            raise MalformedVerifierKeyError("the verifier key is not an Ed25519 (type 0x01) key")
        if len(raw) != 33:
            raise MalformedVerifierKeyError("an Ed25519 verifier key holds 0x01 and 32 key bytes")
        key = cls(name, raw[1:])
        if key.key_hash.hex() != key_id:
            raise MalformedVerifierKeyError("the key ID of the verifier key does not match its name and key")
        return key

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key as a ``cryptography`` object."""
        return self._public_key

    def encode(self) -> str:
        """The verifier key string, ``<name>+<key ID hex>+<base64(0x01 || public key)>``."""
        encoded = base64.b64encode(bytes([ED25519_SIGNATURE_TYPE]) + self.public_key_bytes).decode("ascii")
        return f"{self.name}+{self.key_hash.hex()}+{encoded}"

    def __str__(self) -> str:
        return self.encode()

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 (RFC 8032) signature of ``message``."""
        if len(signature) != 64:
            return False
        try:
            self._public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def _check_text(text: str, what: str) -> bytes:
    """C2SP signed-note: valid UTF-8 and no ASCII control character other than newline."""
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedNoteError(f"{what} is not valid UTF-8") from None
    if _CONTROL.search(text):
        raise MalformedNoteError(f"{what} contains a control character other than newline")
    return encoded


def sign_note(body: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """C2SP signed-note: ``body``, a blank line and one Ed25519 signature line by key ``name``.

    The signature covers the UTF-8 bytes of ``body``, which must end in a newline.
    """
    if not is_valid_key_name(name):
        raise MalformedNoteError(f"invalid key name {name!r}: empty, or contains a space or '+'")
    if not isinstance(body, str) or not body.endswith("\n"):
        raise MalformedNoteError("the note text must end in a newline")
    message = _check_text(body, "the note text")
    raw_public_key = _raw_public_key(private_key.public_key())
    signature = _key_hash_raw(name, raw_public_key) + private_key.sign(message)
    return f"{body}\n{_SIGNATURE_PREFIX}{name} {base64.b64encode(signature).decode('ascii')}\n"


def open_note(note: str | bytes, verifier: VerifierKey) -> str:
    """Check a C2SP signed note against ``verifier`` and return its text (ending in a newline).

    Signature lines by other keys (other names or key IDs, e.g. witness cosignatures) are checked for
    syntax only and otherwise ignored. Every line by ``verifier`` must verify and at least one must be
    present. Raises :class:`MalformedNoteError`, :class:`BadSignatureError` or :class:`UnknownKeyError`.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNoteError("the note is not valid UTF-8") from None
    if not isinstance(note, str):
        raise MalformedNoteError("a note is text")
    _check_text(note, "the note")
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("the note has no blank line before its signatures")
    text, signatures = note[: split + 1], note[split + 2 :]
    if not signatures.endswith("\n"):
        raise MalformedNoteError("the note does not end with a signature line and a newline")
    lines = signatures[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"the note has more than {MAX_SIGNATURES} signatures")
    message = text.encode("utf-8")
    verified = False
    for line in lines:
        if not line.startswith(_SIGNATURE_PREFIX):
            raise MalformedNoteError("a signature line does not start with an em dash and a space")
        name, space, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
        signature = _b64decode(encoded) if space else None
        if not is_valid_key_name(name) or signature is None or len(signature) < 5:
            raise MalformedNoteError("a signature line is not '— <key name> <base64 signature>'")
        if name != verifier.name or signature[:4] != verifier.key_hash:
            continue
        if not verifier.verify(message, signature[4:]):
            raise BadSignatureError(f"the signature by {name}+{verifier.key_hash.hex()} does not verify")
        verified = True
    if not verified:
        raise UnknownKeyError(f"the note has no signature by {verifier.name}+{verifier.key_hash.hex()}")
    return text


@dataclass(frozen=True)
class Checkpoint:
    """C2SP tlog-checkpoint: the tree head a log commits to (origin, tree size, RFC 9162 root hash)."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The note text of this checkpoint (see :func:`checkpoint_body`)."""
        return checkpoint_body(self.origin, self.size, self.root, self.extensions)


def _check_line(line: str, what: str) -> None:
    if not isinstance(line, str) or not line:
        raise MalformedCheckpointError(f"the checkpoint {what} must be a non-empty line")
    if "\n" in line or _CONTROL.search(line):
        raise MalformedCheckpointError(f"the checkpoint {what} contains a newline or control character")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedCheckpointError(f"the checkpoint {what} is not valid UTF-8") from None


def checkpoint_body(origin: str, size: int, root: bytes, extensions: tuple[str, ...] = ()) -> str:
    """C2SP tlog-checkpoint note text: ``origin\\nsize\\nbase64(root)\\n`` plus optional extension lines."""
    _check_line(origin, "origin")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= _MAX_TREE_SIZE:
        raise MalformedCheckpointError("the checkpoint tree size must be an integer from 0 to 2**64 - 1")
    if not isinstance(root, bytes) or len(root) != _HASH_SIZE:
        raise MalformedCheckpointError(f"the checkpoint root hash must be {_HASH_SIZE} bytes")
    for line in extensions:
        _check_line(line, "extension line")
    lines = [origin, str(size), base64.b64encode(root).decode("ascii"), *extensions]
    return "".join(line + "\n" for line in lines)


def parse_checkpoint_body(body: str) -> Checkpoint:
    """Parse a C2SP tlog-checkpoint note text, strictly. The text is trusted only once
    :func:`open_note` has verified it; :func:`parse_checkpoint` does both."""
    if not isinstance(body, str) or not body.endswith("\n"):
        raise MalformedCheckpointError("the checkpoint text must end in a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedCheckpointError("a checkpoint has an origin, a tree size and a root hash line")
    origin, size_text, root_text, *extensions = lines
    _check_line(origin, "origin")
    if not _DECIMAL.fullmatch(size_text) or int(size_text) > _MAX_TREE_SIZE:
        raise MalformedCheckpointError(
            "the checkpoint tree size is not a decimal number without leading zeros"
        )
    root = _b64decode(root_text)
    if root is None or len(root) != _HASH_SIZE or base64.b64encode(root).decode("ascii") != root_text:
        raise MalformedCheckpointError(
            f"the checkpoint root hash is not {_HASH_SIZE} bytes of canonical base64"
        )
    for line in extensions:
        _check_line(line, "extension line")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> str:
    """The checkpoint as a signed note by the log key, whose key name is the origin (DESIGN.md)."""
    return sign_note(checkpoint.body(), checkpoint.origin, private_key)


def parse_checkpoint(note: str | bytes, verifier: VerifierKey, *, origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint with :func:`open_note` and parse its text.

    The checkpoint's origin must equal ``origin``, by default the verifier's key name (the ledger signs
    under its origin); otherwise :class:`WrongOriginError` is raised.
    """
    checkpoint = parse_checkpoint_body(open_note(note, verifier))
    expected = verifier.name if origin is None else origin
    if checkpoint.origin != expected:
        raise WrongOriginError(f"the checkpoint is for origin {checkpoint.origin!r}, expected {expected!r}")
    return checkpoint
