"""Runs the atheris harness (``tests/fuzz/atheris_statement.py``) for a bounded number of inputs, from a
seed corpus of real statements, and fails on any crash it finds."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.canonical import canonical
from tests.fuzz.test_statement_fuzz import SIGNED
from tests.reliability.scale import sized

RUNS = sized(20_000, 1_000_000)


def test_atheris_finds_no_crash_in_the_statement_parser(tmp_path: Path) -> None:
    if importlib.util.find_spec("atheris") is None:
        reason = "atheris is not installed (pip install atheris; wheels exist for CPython 3.11 on Linux)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = [canonical(SIGNED), b'{"v": 1, "body": {"a": [1, "\\ud83d\\ude00", null, true]}}', b"{}", b"[]"]
    for n, seed in enumerate(seeds):
        (corpus / f"seed-{n}").write_bytes(seed)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz.atheris_statement",
            f"-runs={RUNS}",
            "-seed=1",
            "-max_len=2048",
            "-len_control=0",
            "-rss_limit_mb=1024",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = done.stderr[-4000:]
    assert done.returncode == 0, report
    assert f"Done {RUNS} runs" in done.stderr, report
