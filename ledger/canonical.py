"""Canonical JSON for statements: RFC 8785 (JSON Canonicalization Scheme, JCS), restricted to integers.

DESIGN.md, "The one stored thing: a signed statement": ``hash = SHA-256(JCS(statement))``, and a statement
holds no floats. This module produces those JCS bytes and parses statement JSON that arrives from outside.

A statement admits only: objects whose keys are ASCII strings, arrays, strings (any Unicode scalar values;
lone surrogates are refused because they have no UTF-8 form), integers inside the I-JSON safe range
(RFC 7493 §2.2: ``-(2**53 - 1) .. 2**53 - 1``), booleans and null. Within that set RFC 8785 reduces to:
no whitespace, keys sorted (ASCII keys, so UTF-16 code-unit order, §3.2.3, equals byte order), strings
escaped as ECMAScript ``JSON.stringify`` does (§3.2.2.2), integers in plain decimal (§3.2.2.3), UTF-8
output (§3.2.4). orjson with ``OPT_SORT_KEYS`` emits exactly that, about fifty times faster than the
pure-Python ``rfc8785`` package; ``tests/test_canonical.py`` proves the two byte-identical over everything
the schema admits, and every value is checked by a validating walk before orjson sees it.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeAlias

import orjson

__all__ = [
    "INT_MAX",
    "INT_MIN",
    "MAX_DEPTH",
    "CanonicalError",
    "JSONValue",
    "canonical",
    "parse_statement_json",
]

JSONValue: TypeAlias = dict[str, "JSONValue"] | list["JSONValue"] | str | int | bool | None
"""A value a statement may hold (RFC 8259 JSON, minus floats); ``canonical`` checks the finer rules."""

INT_MAX = 2**53 - 1
"""Largest admitted integer: I-JSON (RFC 7493 §2.2) and RFC 8785 §3.2.2.3 safe range, as ``rfc8785`` and
orjson's ``OPT_STRICT_INTEGER`` enforce it. 2**53 itself is refused: it is also what a binary64 parser
makes of 2**53 + 1, so its meaning would depend on the parser."""

INT_MIN = -INT_MAX
"""Smallest admitted integer (see ``INT_MAX``)."""

MAX_DEPTH = 64
"""Deepest admitted nesting of objects and arrays (the top-level value is depth 0). Statements are
shallow; the limit turns cycles and hostile input into a clear refusal instead of a RecursionError."""

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
_SCALARS: frozenset[type] = frozenset({str, int, bool, type(None)})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class CanonicalError(ValueError):
    """A value cannot be part of a statement (not canonicalisable under DESIGN.md's JCS profile).

    The message starts with the JSON path of the offending value, e.g. ``$.body.vote.present: ...``, so
    the API can report it as a ``validation`` problem detail (DESIGN.md, "Errors") without guessing.
    """


def canonical(obj: JSONValue) -> bytes:
    """Return the RFC 8785 (JCS) UTF-8 bytes of ``obj``; raise ``CanonicalError`` if it is not admitted.

    Implements DESIGN.md "The one stored thing: a signed statement" (``JCS(statement)``) and RFC 8785 §3.2.
    Only exact ``dict``/``list``/``str``/``int``/``bool``/``None`` are admitted: no floats (not even
    ``1.0``), tuples, bytes, subclasses (enums, ``OrderedDict``) or other types; object keys must be
    ASCII ``str``; integers must lie in ``INT_MIN..INT_MAX``; strings must not hold lone surrogates.
    """
    if _admitted(obj, 0):
        try:
            return orjson.dumps(obj, option=_OPTIONS) if _ORJSON_IS_JCS else _reference_jcs(obj)
        except (orjson.JSONEncodeError, ValueError) as exc:
            # Lone surrogates and out-of-range integers are left to the serialiser on the fast path;
            # the explaining walk below finds which value it was.
            _explain(obj, "$", 0)
            raise CanonicalError(f"$: cannot be canonicalised: {exc}") from exc
    _explain(obj, "$", 0)
    raise CanonicalError("$: cannot be canonicalised")  # pragma: no cover - _explain always raises


def _reference_jcs(obj: JSONValue) -> bytes:
    """The slow reference implementation, used only if orjson fails the import-time known answer."""
    import rfc8785

    result: bytes = rfc8785.dumps(obj)
    return result


# Known answer, checked once at import: every string escape RFC 8785 §3.2.2.2 distinguishes (all of
# U+0000..U+001F, quote, backslash; and no escape for "/", U+007F, U+2028, U+2029, astral characters),
# ASCII key order, and the integer edges. Should an orjson release ever serialise any of it differently,
# canonical() silently switches to the reference implementation instead of changing statement hashes.
_PROBE: JSONValue = {
    "s": "".join(map(chr, range(0x20))) + '"\\/\x7f\u2028\u2029\u00e9\u4e2d\U0001f600',
    "Z": [INT_MIN, INT_MAX, 0, -1, True, False, None],
    "a": {"": "", "_": [], "~": {}, "0": "x", "A": "y"},
}
_PROBE_JCS = (
    b'{"Z":[-9007199254740991,9007199254740991,0,-1,true,false,null],'
    b'"a":{"":"","0":"x","A":"y","_":[],"~":{}},'
    b'"s":"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r'
    b"\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
    b'\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\"\\\\/\x7f\xe2\x80\xa8\xe2\x80\xa9'
    b'\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"}'
)
_ORJSON_IS_JCS: bool = orjson.dumps(_PROBE, option=_OPTIONS) == _PROBE_JCS


def _admitted(value: Any, depth: int) -> bool:
    """Fast structural check: exact admitted types, ASCII ``str`` keys, bounded depth.

    Integer range and lone surrogates are not checked here: orjson refuses both, and ``canonical`` then
    asks ``_explain`` for the path. (Keys first, then values: measurably faster than ``items()``.)
    """
    kind = type(value)
    if kind is dict:
        if depth >= MAX_DEPTH:
            return False
        for key in value:
            if type(key) is not str or not key.isascii():
                return False
        items = value.values()
    elif kind is list:
        if depth >= MAX_DEPTH:
            return False
        items = value
    else:
        return kind in _SCALARS
    for item in items:
        item_kind = type(item)
        if item_kind in _SCALARS:
            continue
        if (item_kind is dict or item_kind is list) and _admitted(item, depth + 1):
            continue
        return False
    return True


def _key_path(path: str, key: str) -> str:
    """JSON path of an object member: ``$.name`` for identifiers, ``$["odd key"]`` otherwise."""
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def _explain(value: object, path: str, depth: int) -> None:
    """Slow walk that raises ``CanonicalError`` naming the first offending value in document order.

    Also recognises the refusal markers ``parse_statement_json`` leaves in place of values it rejected.
    Returns normally only if everything is admitted.
    """
    if (type(value) is dict or type(value) is list) and depth >= MAX_DEPTH:
        raise CanonicalError(f"{path}: nested deeper than {MAX_DEPTH} levels (or a cycle)")
    if type(value) is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise CanonicalError(f"{path}: object key {key!r} is a {type(key).__name__}, not a str")
            if _SURROGATE.search(key):
                raise CanonicalError(f"{_key_path(path, key)}: object key holds a lone surrogate")
            if not key.isascii():
                raise CanonicalError(f"{_key_path(path, key)}: object key is not ASCII")
            _explain(item, _key_path(path, key), depth + 1)
    elif type(value) is list:
        for index, item in enumerate(value):
            _explain(item, f"{path}[{index}]", depth + 1)
    elif type(value) is str:
        found = _SURROGATE.search(value)
        if found:
            raise CanonicalError(
                f"{path}: string holds a lone surrogate U+{ord(found.group()):04X} at index {found.start()}"
            )
    elif type(value) is int:
        if not INT_MIN <= value <= INT_MAX:
            raise CanonicalError(f"{path}: integer {value} is outside -(2**53-1)..2**53-1")
    elif type(value) is bool or value is None:
        pass
    elif type(value) is _Refused:
        raise CanonicalError(f"{path}: {value.reason}")
    elif type(value) is float:
        raise CanonicalError(f"{path}: floats are not allowed in a statement (got {value!r})")
    elif isinstance(value, str | int | dict | list):
        kind = type(value)
        raise CanonicalError(
            f"{path}: {kind.__module__}.{kind.__qualname__} is a subclass; only plain JSON types are allowed"
        )
    else:
        raise CanonicalError(
            f"{path}: a {type(value).__qualname__} is not a JSON value allowed in a statement"
        )


class _Refused:
    """Stands in for a value ``parse_statement_json`` refused, so the error can name its JSON path."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_int(text: str) -> int | _Refused:
    # 17 characters hold "-9007199254740991"; longer text is refused before int() sees it.
    if len(text) <= 17:
        number = int(text)
        if INT_MIN <= number <= INT_MAX:
            return number
    return _Refused(f"integer {text[:40]} is outside -(2**53-1)..2**53-1")


def _parse_float(text: str) -> _Refused:
    return _Refused(f"number {text[:40]} has a fraction or exponent; statements hold integers only")


def _parse_constant(text: str) -> _Refused:
    return _Refused(f"{text} is not JSON")


def _object_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                result[key] = _Refused("duplicate object key")
                break
            seen.add(key)
    return result


def parse_statement_json(data: bytes) -> dict[str, JSONValue]:
    """Parse statement JSON from outside, refusing anything whose meaning could depend on the parser.

    DESIGN.md "The one stored thing": the server must hash exactly what the signer meant. I-JSON
    (RFC 7493 §2) and RFC 8785 §3.1 forbid duplicate keys; this profile also refuses numbers with a
    fraction or exponent (even ``1.0``), integers outside ``INT_MIN..INT_MAX``, ``NaN``/``Infinity``,
    bytes that are not UTF-8 (a BOM included), and then everything ``canonical`` refuses (non-ASCII keys,
    lone surrogates from ``\\ud800`` escapes, excessive depth). The top level must be an object. Every
    refusal is a ``CanonicalError``, naming the JSON path where there is one.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalError(f"$: not UTF-8 (byte {exc.start})") from exc
    try:
        parsed: object = json.loads(
            text,
            object_pairs_hook=_object_pairs,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise CanonicalError(f"$: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise CanonicalError(f"$: nested deeper than {MAX_DEPTH} levels") from exc
    if type(parsed) is not dict:
        _explain(parsed, "$", 0)
        raise CanonicalError(f"$: a statement is a JSON object, not {_json_kind(parsed)}")
    statement: dict[str, JSONValue] = parsed
    if _admitted(statement, 0):
        # Lone surrogates (from escapes) are found only by a full check; canonical() is the cheapest one.
        canonical(statement)
        return statement
    _explain(statement, "$", 0)
    raise CanonicalError("$: not a valid statement")  # pragma: no cover - _explain always raises


def _json_kind(value: object) -> str:
    """Name of the JSON kind of an admitted scalar or array, for messages."""
    if type(value) is list:
        return "an array"
    if type(value) is str:
        return "a string"
    if type(value) is bool:
        return "a boolean"
    if type(value) is int:
        return "a number"
    return "null"
