"""Coverage-guided fuzzing (atheris, libFuzzer) of what the ledger does with a statement from outside:
parse the bytes, validate the envelope, hash; then check that what was accepted canonicalises stably.

Any exception other than the documented refusals (``CanonicalError``, ``ValidationFailed``) is a crash
that libFuzzer reports with the input that caused it. Run it bounded, e.g.::

    python -m tests.fuzz.atheris_statement -runs=20000 -seed=1 CORPUS_DIR
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]
import orjson  # noqa: F401  (its dependants are imported uninstrumented first: only ledger code is traced)
import pydantic  # noqa: F401

with atheris.instrument_imports(include=["ledger"]):
    from ledger.canonical import CanonicalError, canonical, parse_statement_json
    from ledger.errors import ValidationFailed
    from ledger.statement import parse_statement, statement_hash


def one_input(data: bytes) -> None:
    """Feed one input through the parser, the envelope check and the canonicaliser."""
    try:
        parsed = parse_statement_json(data)
    except CanonicalError:
        return
    once = canonical(parsed)
    if parse_statement_json(once) != parsed or canonical(parse_statement_json(once)) != once:
        raise AssertionError(f"canonical form is not stable for {data!r}")
    try:
        parse_statement(parsed)
        statement_hash(parsed)
    except ValidationFailed:
        return


def main() -> None:
    """Fuzz until libFuzzer's limits (``-runs``, ``-max_total_time``) are reached."""
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
