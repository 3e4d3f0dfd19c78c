"""Tests for ledger.canonical: RFC 8785 examples, the refusals, and orjson == rfc8785 over the schema."""

from __future__ import annotations

import collections
import datetime
import decimal
import enum
import json
import re
import uuid
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger.canonical as canonical_module
from ledger.canonical import (
    INT_MAX,
    INT_MIN,
    MAX_DEPTH,
    CanonicalError,
    JSONValue,
    canonical,
    parse_statement_json,
)
from tests.reliability.scale import sized

# --- RFC 8785 §3.2.2 / §3.2.3 / §3.2.4 examples, verbatim ---------------------------------------------

# §3.2.2 input, as printed in the RFC (whitespace and escapes included).
RFC_PRIMITIVES_INPUT = rb"""{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
# §3.2.2 result.
RFC_PRIMITIVES_OUTPUT = (
    b'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    b'"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
)
# §3.2.4: the same result as UTF-8 bytes in hexadecimal.
RFC_PRIMITIVES_HEX = (
    "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72"
    "75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a"
    "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
    "65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37"
    "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30"
    "30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d"
)
# §3.2.3 input and the member order the RFC gives for it (sorted by UTF-16 code units).
RFC_SORTING_INPUT = rb"""{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"""
RFC_SORTING_ORDER = [
    "Carriage Return",
    "One",
    "Control",
    "Latin Small Letter O With Diaeresis",
    "Euro Sign",
    "Emoji: Grinning Face",
    "Hebrew Letter Dalet With Dagesh",
]


def test_rfc_primitives_example_is_matched_by_the_reference_implementation() -> None:
    """§3.2.2 has floats, so only rfc8785 itself can reproduce it; this pins the reference we compare to."""
    assert bytes.fromhex(RFC_PRIMITIVES_HEX) == RFC_PRIMITIVES_OUTPUT
    assert rfc8785.dumps(json.loads(RFC_PRIMITIVES_INPUT)) == RFC_PRIMITIVES_OUTPUT


def test_rfc_primitives_example_is_refused_because_of_its_floats() -> None:
    with pytest.raises(CanonicalError, match=r"^\$\.numbers\[0\]: number 333333333\.33333329 "):
        parse_statement_json(RFC_PRIMITIVES_INPUT)
    with pytest.raises(CanonicalError, match=r"^\$\.numbers\[0\]: floats are not allowed"):
        canonical(json.loads(RFC_PRIMITIVES_INPUT))


def test_rfc_primitives_example_without_numbers() -> None:
    """The same example with the float member removed: string escapes and literals, byte for byte."""
    numbers_member = (
        b'  "numbers": [333333333.33333329, 1E30, 4.50,\n'
        b"              2e-3, 0.000000000000000000000000001],\n"
    )
    assert numbers_member in RFC_PRIMITIVES_INPUT
    adapted = RFC_PRIMITIVES_INPUT.replace(numbers_member, b"")
    expected = b'{"literals":[null,true,false],"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    statement = parse_statement_json(adapted)
    assert statement == {"string": '\u20ac$\x0f\nA\'B"\\\\"/', "literals": [None, True, False]}
    assert canonical(statement) == expected
    assert rfc8785.dumps(statement) == expected
    # The expected bytes are the RFC's own output with the "numbers" member cut out.
    assert expected == RFC_PRIMITIVES_OUTPUT.replace(
        b'"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],', b""
    )


def test_rfc_sorting_example_is_matched_by_the_reference_implementation() -> None:
    parsed = json.loads(RFC_SORTING_INPUT)
    output = rfc8785.dumps(parsed).decode("utf-8")
    positions = [output.index(json.dumps(name)) for name in RFC_SORTING_ORDER]
    assert positions == sorted(positions)


def test_rfc_sorting_example_is_refused_because_of_non_ascii_keys() -> None:
    with pytest.raises(CanonicalError, match=r'^\$\["\\u20ac"\]: object key is not ASCII$'):
        parse_statement_json(RFC_SORTING_INPUT)
    with pytest.raises(CanonicalError, match=r'^\$\["\\u20ac"\]: object key is not ASCII$'):
        canonical(json.loads(RFC_SORTING_INPUT))


def test_rfc_sorting_example_ascii_members() -> None:
    """The example's two ASCII-named members, in the RFC's order; the other names survive as values."""
    statement = parse_statement_json(b'{"1": "One", "\\r": "Carriage Return"}')
    assert canonical(statement) == b'{"\\r":"Carriage Return","1":"One"}'
    names = list(json.loads(RFC_SORTING_INPUT))
    assert canonical(names) == rfc8785.dumps(names)
    assert canonical(names) == ('["\u20ac","\\r","\ufb33","1","\U0001f600","\u0080","\u00f6"]'.encode())


# --- hand-picked cases ---------------------------------------------------------------------------------


def test_ascii_key_order_is_byte_order() -> None:
    value: JSONValue = {
        k: 0 for k in ["b", "a", "B", "A", "_", "~", "1", "10", "2", "", " ", "a_", "aA", "\x7f"]
    }
    assert canonical(value) == (
        b'{"":0," ":0,"1":0,"10":0,"2":0,"A":0,"B":0,"_":0,"a":0,"aA":0,"a_":0,"b":0,"~":0,"\x7f":0}'
    )
    assert canonical(value) == rfc8785.dumps(value)


def test_nested_order_and_array_order() -> None:
    value: JSONValue = {"z": [3, 1, {"b": None, "a": True}], "a": {"y": "", "x": -1}}
    assert canonical(value) == b'{"a":{"x":-1,"y":""},"z":[3,1,{"a":true,"b":null}]}'


def test_chinese_text_is_raw_utf8() -> None:
    value: JSONValue = {"summary": "党支部书记上门走访\u2028第二行"}
    assert canonical(value) == '{"summary":"党支部书记上门走访\u2028第二行"}'.encode()


@pytest.mark.parametrize("n", [INT_MAX, INT_MIN, 0, -1, 2**31, -(2**31), 2**32, INT_MAX - 1])
def test_integers_in_range(n: int) -> None:
    assert canonical({"n": n}) == b'{"n":%d}' % n == rfc8785.dumps({"n": n})


def test_int_bounds_are_those_of_rfc8785() -> None:
    assert INT_MAX == 2**53 - 1 == -INT_MIN
    for n in (2**53, -(2**53)):
        with pytest.raises(rfc8785.IntegerDomainError):
            rfc8785.dumps(n)


class _Colour(enum.Enum):
    RED = "red"


class _Level(enum.IntEnum):
    ONE = 1


class _Name(str):
    pass


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ({"body": {"vote": {"present": 1.0}}}, r"\$\.body\.vote\.present: floats are not allowed"),
        ({"a": [1, 2, 0.5]}, r"\$\.a\[2\]: floats are not allowed"),
        (1.0, r"\$: floats are not allowed"),
        ({"a": float("nan")}, r"\$\.a: floats are not allowed"),
        ({"a": 2**53}, r"\$\.a: integer 9007199254740992 is outside"),
        ({"a": [-(2**53)]}, r"\$\.a\[0\]: integer -9007199254740992 is outside"),
        ({"a": 2**64}, r"\$\.a: integer 18446744073709551616 is outside"),
        ({"a": (1, 2)}, r"\$\.a: a tuple is not a JSON value"),
        ({"a": b"x"}, r"\$\.a: a bytes is not a JSON value"),
        ({"a": {1, 2}}, r"\$\.a: a set is not a JSON value"),
        ({"a": uuid.UUID(int=0)}, r"\$\.a: a UUID is not a JSON value"),
        ({"a": datetime.date(2026, 3, 14)}, r"\$\.a: a date is not a JSON value"),
        ({"a": decimal.Decimal(1)}, r"\$\.a: a Decimal is not a JSON value"),
        ({"a": _Colour.RED}, r"\$\.a: a _Colour is not a JSON value"),
        ({"a": _Level.ONE}, r"\$\.a: tests\.test_canonical\._Level is a subclass"),
        ({"a": _Name("x")}, r"\$\.a: tests\.test_canonical\._Name is a subclass"),
        ({"a": collections.OrderedDict()}, r"\$\.a: collections\.OrderedDict is a subclass"),
        ({1: "x"}, r"\$: object key 1 is a int, not a str"),
        ({"a": {None: "x"}}, r"\$\.a: object key None is a NoneType, not a str"),
        ({_Name("k"): "x"}, r"\$: object key 'k' is a _Name, not a str"),
        ({"名字": "x"}, r'\$\["\\u540d\\u5b57"\]: object key is not ASCII'),
        ({"ok": {"caf\u00e9": 1}}, r'\$\.ok\["caf\\u00e9"\]: object key is not ASCII'),
        ({"a": "x\ud800y"}, r"\$\.a: string holds a lone surrogate U\+D800 at index 1"),
        ({"a": ["\udfff"]}, r"\$\.a\[0\]: string holds a lone surrogate U\+DFFF at index 0"),
        ({"a": "\udc00\ud800"}, r"\$\.a: string holds a lone surrogate U\+DC00 at index 0"),
        ({"\ud800": 1}, r'\$\["\\ud800"\]: object key holds a lone surrogate'),
        ({"a b": {"0": {"x-y": 1.5}}}, r'\$\["a b"\]\["0"\]\["x-y"\]: floats are not allowed'),
    ],
)
def test_refusals_name_the_path(value: Any, pattern: str) -> None:
    with pytest.raises(CanonicalError, match="^" + pattern):
        canonical(value)


def test_canonical_error_is_a_value_error() -> None:
    assert issubclass(CanonicalError, ValueError)


def test_depth_limit_and_cycles() -> None:
    deep: Any = 0
    for _ in range(MAX_DEPTH):
        deep = [deep]
    assert canonical(deep) == b"[" * MAX_DEPTH + b"0" + b"]" * MAX_DEPTH
    with pytest.raises(CanonicalError, match=r"nested deeper than 64"):
        canonical([deep])
    cycle: dict[str, Any] = {}
    cycle["self"] = cycle
    with pytest.raises(CanonicalError, match=r"^\$(\.self)+: nested deeper"):
        canonical(cycle)


def test_scalars_at_top_level() -> None:
    values: list[JSONValue] = ["", "x", 0, True, False, None, [], {}]
    for value in values:
        assert canonical(value) == rfc8785.dumps(value)


# --- parse_statement_json ------------------------------------------------------------------------------


def test_parse_accepts_a_statement_and_round_trips() -> None:
    data = (
        b'{"v": 1, "seq": 3, "type": "SearchAttemptRecorded", "occurred_at": "2026-03-14",'
        b' "body": {"location": "\\u5317\\u4eac", "emoji": "\\ud83d\\ude00", "n": -9007199254740991}}'
    )
    statement = parse_statement_json(data)
    assert statement["body"] == {"location": "北京", "emoji": "\U0001f600", "n": INT_MIN}
    assert parse_statement_json(canonical(statement)) == statement


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (b'{"a": 1, "a": 1}', r"\$\.a: duplicate object key"),
        (b'{"a": {"b": [{"c": 1, "d": 2, "c": 3}]}}', r"\$\.a\.b\[0\]\.c: duplicate object key"),
        (b'{"a": 1.0}', r"\$\.a: number 1\.0 has a fraction or exponent"),
        (b'{"a": 1e2}', r"\$\.a: number 1e2 has a fraction or exponent"),
        (b'{"a": 1E+2}', r"\$\.a: number 1E\+2 has a fraction or exponent"),
        (b'{"a": -0.0}', r"\$\.a: number -0\.0 has a fraction or exponent"),
        (b'{"a": 9007199254740992}', r"\$\.a: integer 9007199254740992 is outside"),
        (b'{"a": -9007199254740992}', r"\$\.a: integer -9007199254740992 is outside"),
        (b'{"a": ' + b"9" * 5000 + b"}", r"\$\.a: integer 9{40} is outside"),
        (b'{"a": NaN}', r"\$\.a: NaN is not JSON"),
        (b'{"a": [Infinity]}', r"\$\.a\[0\]: Infinity is not JSON"),
        (b'{"a": -Infinity}', r"\$\.a: -Infinity is not JSON"),
        (b'{"a": "\\ud800"}', r"\$\.a: string holds a lone surrogate U\+D800"),
        (b'{"a": "\\ude00\\ud83d"}', r"\$\.a: string holds a lone surrogate U\+DE00"),
        (b'{"\\u00e9": 1}', r'\$\["\\u00e9"\]: object key is not ASCII'),
        (b'{"a": "\xff"}', r"\$: not UTF-8 \(byte 7\)"),
        (b'\xef\xbb\xbf{"a": 1}', r"\$: not JSON: Unexpected UTF-8 BOM"),
        (b'{"a": 1', r"\$: not JSON: Expecting ',' delimiter at line 1 column 8"),
        (b'{"a": 1} x', r"\$: not JSON: Extra data"),
        (b'{"a": "\x01"}', r"\$: not JSON: Invalid control character"),
        (b"", r"\$: not JSON: Expecting value"),
        (b"[1]", r"\$: a statement is a JSON object, not an array"),
        (b'"s"', r"\$: a statement is a JSON object, not a string"),
        (b"1", r"\$: a statement is a JSON object, not a number"),
        (b"1.5", r"\$: number 1\.5 has a fraction or exponent"),
        (b"null", r"\$: a statement is a JSON object, not null"),
        (b'{"a": ' * 65 + b"1" + b"}" * 65, r"^\$(\.a){64}: nested deeper than 64"),
        (b"[" * 100_000 + b"]" * 100_000, r"\$: nested deeper than 64"),
    ],
)
def test_parse_refusals(data: bytes, pattern: str) -> None:
    with pytest.raises(CanonicalError, match="^" + pattern if not pattern.startswith("^") else pattern):
        parse_statement_json(data)


def test_parse_accepts_the_integer_edges_and_negative_zero() -> None:
    assert parse_statement_json(b'{"a": 9007199254740991, "b": -9007199254740991, "c": -0}') == {
        "a": INT_MAX,
        "b": INT_MIN,
        "c": 0,
    }


# --- property tests: orjson fast path == rfc8785 over everything the schema admits ---------------------

TRICKY_CHARS = [chr(c) for c in range(0x20)] + [
    '"',
    "\\",
    "/",
    "'",
    "<",
    ">",
    "&",
    "\x7f",
    "\u0080",
    "\u009f",
    "\u00e9",
    "\u2028",
    "\u2029",
    "\u4e2d",
    "\u6587",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\U00010000",
    "\U0001f600",
    "\U00020000",
    "\U0010ffff",
]
KEY_SAMPLES = ["", "a", "A", "b", "B", "Z", "z", "_", "-", "0", "1", "10", "2", "9", "aa", "a0", "a_", "aA"]
KEY_SAMPLES += ["~", " ", "\x00", "\r", "\x7f", "v", "seq", "body", "occurred_at", "key", "type", "prev"]

ascii_keys = st.one_of(st.sampled_from(KEY_SAMPLES), st.text(st.characters(max_codepoint=0x7F), max_size=6))
unicode_strings = st.text(
    st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(codec="utf-8")),
    max_size=24,
)
integers = st.one_of(
    st.integers(INT_MIN, INT_MAX),
    st.sampled_from([INT_MIN, INT_MIN + 1, -1, 0, 1, INT_MAX - 1, INT_MAX]),
)
scalars = st.one_of(st.none(), st.booleans(), integers, unicode_strings)
json_values: st.SearchStrategy[JSONValue] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(ascii_keys, children, max_size=6),
    ),
    max_leaves=20,
)
statements = st.dictionaries(ascii_keys, json_values, max_size=5)

# No example database: the tests stay deterministic in cost and leave nothing behind; a failure prints
# its reproducing example (and @reproduce_failure blob) anyway. ``make test`` runs a few hundred examples
# per property (the tricky characters and integer edges are sampled, so a mismatch shows within them); a
# soak run (LEDGER_SOAK=1) runs the thousands.
PROPERTY = settings(
    max_examples=sized(300, 2000), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SMALLER = settings(
    max_examples=sized(100, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@PROPERTY
@given(json_values)
def test_property_canonical_equals_rfc8785(value: JSONValue) -> None:
    assert canonical(value) == rfc8785.dumps(value)


@PROPERTY
@given(st.text(st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(codec="utf-8")), max_size=64))
def test_property_strings_equal_rfc8785(text: str) -> None:
    assert canonical(text) == rfc8785.dumps(text)
    assert canonical({text.encode("ascii", "replace").decode(): text}) == rfc8785.dumps(
        {text.encode("ascii", "replace").decode(): text}
    )


@settings(PROPERTY, max_examples=sized(200, 1000))
@given(st.dictionaries(st.text(st.characters(max_codepoint=0x7F), max_size=4), st.just(0), max_size=24))
def test_property_ascii_key_order_equals_rfc8785(value: dict[str, JSONValue]) -> None:
    assert canonical(value) == rfc8785.dumps(value)


@settings(SMALLER, max_examples=sized(40, 150))
@given(statements)
def test_property_parse_round_trip(statement: dict[str, JSONValue]) -> None:
    assert parse_statement_json(canonical(statement)) == statement
    # Another serialisation of the same value (ASCII escapes, surrogate pairs, whitespace) parses the same.
    assert parse_statement_json(json.dumps(statement, indent=1).encode()) == statement


def _member(key: str) -> str:
    """The path step the error messages use for an object member (the documented format)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return "." + key
    return "[" + json.dumps(key) + "]"


@st.composite
def poisoned(draw: st.DrawFn) -> tuple[Any, str]:
    """An otherwise admitted value with one refused thing buried in it, and that thing's path."""
    bad_kind = draw(st.sampled_from(["float", "big", "tuple", "bytes", "surrogate", "key", "uuid", "set"]))
    bad: Any
    path_tail = ""
    if bad_kind == "float":
        bad = draw(st.floats())
    elif bad_kind == "big":
        bad = draw(st.one_of(st.integers(min_value=INT_MAX + 1), st.integers(max_value=INT_MIN - 1)))
    elif bad_kind == "tuple":
        bad = tuple(draw(st.lists(scalars, max_size=2)))
    elif bad_kind == "bytes":
        bad = draw(st.binary(max_size=4))
    elif bad_kind == "surrogate":
        lone = draw(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
        bad = draw(unicode_strings) + lone + draw(unicode_strings)
    elif bad_kind == "key":
        key = draw(st.text(st.characters(min_codepoint=0x80, codec="utf-8"), min_size=1, max_size=3))
        bad = {key: 0}
        path_tail = _member(key)
    elif bad_kind == "uuid":
        bad = draw(st.uuids())
    else:
        bad = set(draw(st.lists(integers, max_size=2)))
    steps = draw(st.lists(st.one_of(ascii_keys, st.integers(0, 3)), max_size=6))
    value = bad
    for step in reversed(steps):
        if isinstance(step, str):
            siblings = draw(st.dictionaries(ascii_keys, scalars, max_size=3))
            siblings.pop(step, None)
            value = {**siblings, step: value}
        else:
            value = [*draw(st.lists(scalars, min_size=step, max_size=step)), value]
    path = "$" + "".join(_member(s) if isinstance(s, str) else f"[{s}]" for s in steps) + path_tail
    return value, path


@settings(SMALLER, max_examples=sized(150, 600))
@given(poisoned())
def test_property_refusals_name_the_path(case: tuple[Any, str]) -> None:
    value, path = case
    with pytest.raises(CanonicalError) as refused:
        canonical(value)
    assert str(refused.value).startswith(path + ": ")


# --- the import-time known answer and the reference fallback ------------------------------------------


def test_orjson_passes_the_known_answer() -> None:
    assert canonical_module._ORJSON_IS_JCS
    assert rfc8785.dumps(canonical_module._PROBE) == canonical_module._PROBE_JCS


@settings(SMALLER, max_examples=sized(50, 100))
@given(json_values)
def test_property_reference_fallback_is_identical(value: JSONValue) -> None:
    fast = canonical(value)
    original = canonical_module._ORJSON_IS_JCS
    canonical_module._ORJSON_IS_JCS = False
    try:
        assert canonical(value) == fast
        with pytest.raises(CanonicalError, match=r"^\$\.x: integer"):
            canonical({"x": 2**53})
        with pytest.raises(CanonicalError, match=r"^\$\.x: string holds a lone surrogate"):
            canonical({"x": "\ud800"})
    finally:
        canonical_module._ORJSON_IS_JCS = original
