"""Fuzzing the statement parser and the canonicaliser with hypothesis: whatever arrives, the only
outcomes are an accepted statement or the documented refusal (``CanonicalError`` from the JSON layer,
``ValidationFailed`` from the envelope), and what is accepted canonicalises to stable bytes.

``tests/test_canonical.py`` proves the canonical bytes right over everything the schema admits; here
the input is hostile: arbitrary bytes, arbitrary JSON text, mutated signed statements, arbitrary objects.
"""

from __future__ import annotations

import decimal
import json
from collections import OrderedDict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import keys
from ledger.canonical import CanonicalError, canonical, parse_statement_json
from ledger.errors import ValidationFailed
from ledger.statement import new_statement, parse_statement, sign_statement, statement_hash
from tests.reliability.scale import sized

FUZZ = settings(max_examples=sized(100, 5000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEY = keys.generate()
SIGNED = new_statement(
    ledger="test.example.org/ledger",
    stream="3e3b0000-0000-4000-8000-0000000000aa",
    seq=2,
    prev="ab" * 32,
    type="SearchAttemptRecorded",
    occurred_at="2026-03-14",
    actor="3e3b0000-0000-4000-8000-0000000000bb",
    private_key=KEY,
    body={"method": "phone", "result": "无人接听", "note": "第二次\u2028", "n": [1, -2, 9007199254740991]},
)
SIGNATURE = sign_statement(SIGNED, KEY)[1]
SIGNED_BYTES = canonical(SIGNED)


def accept(data: bytes) -> dict[str, Any] | None:
    """The statement ``data`` holds, or None when it is refused with a documented error."""
    try:
        parsed = parse_statement_json(data)
    except CanonicalError:
        return None
    try:
        parse_statement(parsed)
        statement_hash(parsed)
    except ValidationFailed:
        return None
    return parsed


def assert_stable(value: dict[str, Any]) -> None:
    """What the parser accepted canonicalises, parses back to itself, and canonicalises identically."""
    once = canonical(value)
    assert parse_statement_json(once) == value
    assert canonical(parse_statement_json(once)) == once


@FUZZ
@given(st.binary(max_size=512))
def test_arbitrary_bytes_are_parsed_or_refused(data: bytes) -> None:
    try:
        parsed = parse_statement_json(data)
    except CanonicalError as refusal:
        assert str(refusal).startswith("$")  # the message names a JSON path
        return
    assert_stable(parsed)


ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=16,
)


@FUZZ
@given(ANY_JSON, st.booleans(), st.sampled_from([None, 0, 2]), st.booleans())
def test_arbitrary_json_text_is_parsed_or_refused(
    value: Any, ascii_only: bool, indent: int | None, sort: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent, sort_keys=sort, allow_nan=True)
    try:
        parsed = parse_statement_json(text.encode("utf-8", "surrogatepass"))
    except CanonicalError:
        return
    assert parsed == value  # nothing accepted is read differently from what was written
    assert_stable(parsed)


@st.composite
def mutations(draw: st.DrawFn) -> bytes:
    """The signed statement's canonical bytes with a few bytes flipped, inserted, deleted or cut off."""
    data = bytearray(SIGNED_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if kind == "flip" and where < len(data):
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=3))
        elif kind == "delete":
            del data[where : where + draw(st.integers(1, 3))]
        else:
            del data[where:]
    return bytes(data)


@FUZZ
@given(mutations())
def test_a_mutated_signed_statement_is_refused_or_fails_its_signature(data: bytes) -> None:
    accepted = accept(data)
    if accepted is None:
        return
    assert_stable(accepted)
    digest = statement_hash(accepted)
    if canonical(accepted) != SIGNED_BYTES:  # any change of meaning changes the hash the key signed
        assert not keys.verify_statement_signature(KEY.public_key(), digest, SIGNATURE)
    else:  # only insignificant bytes changed (e.g. whitespace): the same statement
        assert digest == statement_hash(SIGNED)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(sorted(SIGNED)), ANY_JSON, min_size=1, max_size=3), st.text(max_size=8)
)
def test_envelope_fields_replaced_are_validated_or_refused(replaced: dict[str, Any], extra: str) -> None:
    statement: dict[str, Any] = {**SIGNED, **replaced}
    if extra:
        statement[extra] = 1
    try:
        envelope = parse_statement(statement)
    except ValidationFailed as refusal:
        assert refusal.details.get("errors") or str(refusal)
        return
    assert envelope.model_dump() == {key: statement[key] for key in SIGNED}
    try:
        digest = statement_hash(statement)
    except ValidationFailed:
        return  # a float or an out-of-range integer in the body: the hash step refuses it
    assert digest == statement_hash(parse_statement_json(canonical(statement)))


ODD = st.recursive(
    ANY_JSON
    | st.binary(max_size=4)
    | st.decimals(allow_nan=False, places=2)
    | st.text(st.characters(categories=["Cs"]) | st.characters(), max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3).map(OrderedDict)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(ODD)
def test_canonical_refuses_whatever_is_not_a_statement_value(value: Any) -> None:
    try:
        data = canonical(value)
    except CanonicalError:
        return
    assert json.loads(data) == value  # accepted only when it is plain JSON, and written as it is
    assert not isinstance(value, tuple | bytes | decimal.Decimal | OrderedDict | frozenset)
