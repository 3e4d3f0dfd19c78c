"""The growth harness's options (``bench.scale``): ``--sizes`` with ``--keep-ledgers`` keeps a verifiable copy
of each size (``--grow-only``: measuring nothing), and ``--measure`` measures a kept copy without growing it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import scale
from ledger.system import open_ledger
from ledger.verify import verify_ledger

SIZES = [400, 800]
"""One small city, then another: the smallest replica has 50 members (about 350 statements)."""


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kept_ledgers_verify_and_measure_again(backend: str, tmp_path: Path) -> None:
    kept_dir, results = tmp_path / f"kept-{backend}", tmp_path / "results"
    common = ["--backend", backend, "--http", "none", "--quick", "--results", str(results)]
    try:
        grow = ["--sizes", ",".join(map(str, SIZES)), "--keep-ledgers", str(kept_dir), "--grow-only"]
        scale.main([*grow, *common])
        assert not (results / "scale-quick.json").exists()  # nothing measured
        kept = scale.load_kept(kept_dir, [backend], None)
        assert [k.size for k in kept] == SIZES
        assert kept[0].statements < kept[1].statements  # the first copy did not grow with the ledger
        assert all(k.generator_rate > 0 and len(k.members) > 0 for k in kept)
        for k in kept:
            system = open_ledger(k.settings)
            try:
                assert system.log.size() == k.statements
                ledger = system.ledger
                report = verify_ledger(ledger, system.log, ledger_public_key=ledger.ledger_public_key)
                assert report.ok and report.statements == k.statements, report.failures[:3]
            finally:
                system.close()

        scale.main(["--measure", str(kept_dir), "--sizes", str(SIZES[1]), "--stem", "again", *common])
        (again,) = json.loads((results / "again.json").read_text(encoding="utf-8"))["growth"][backend]
        assert again["statements"] == kept[1].statements and again["members"] == len(kept[1].members)
        assert again["generator_rate"] == kept[1].generator_rate  # from the manifest: nothing grown
        assert again["ledger"] == kept[1].database_url and again["errors"] == {} and again["complete"]
        assert again["placements_rate"] > 0 and again["placements_rss_mb"] > 0
        assert again["statistics_samples"] > 0 and again["dossier_samples"] > 0
        assert (results / "again.png").stat().st_size > 0
    finally:
        if backend == "postgres":
            for size in SIZES:
                scale.drop_database(scale.kept_database(kept_dir, size))
