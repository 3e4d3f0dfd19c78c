"""One measured phase in a fresh process, so that its peak RSS is its own: ``python -m bench.phase PHASE URL HOME``.

Phases: ``verify`` (the whole ledger, all cores), ``raw-verify`` (a raw Ed25519 loop over ``N`` signatures on
all cores), ``raw-read`` (every notification read and decoded), ``status`` / ``dossier`` (one projection
rebuilt from zero; also ``placements``). Prints one JSON object: ``count``, ``seconds``, ``rate``, ``rss_mb`` (peak resident set of
this process, VmHWM) and ``children_rss_mb`` (the largest peak of its worker processes, if any) and ``code`` (the project folder its modules came
from: the harness checks that it is its own).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.kernel import _raw_verify_rate
from bench.projections import raw_read_rate
from ledger import keys
from ledger.keys import STATEMENT_CONTEXT
from ledger.settings import Settings
from ledger.sigcheck import SignatureJob
from ledger.system import open_ledger
from ledger.verify import verify_ledger
from projections import registry
from projections.registry import open_projections


def raw_jobs(count: int) -> list[SignatureJob]:
    """``count`` valid signature jobs over 32-byte digests, as ``ledger verify`` checks them."""
    key = keys.generate()
    public = keys.public_key_bytes(key.public_key())
    jobs: list[SignatureJob] = []
    for i in range(count):
        digest = hashlib.sha256(i.to_bytes(8, "big")).digest()
        signature = base64.b64encode(key.sign(STATEMENT_CONTEXT + digest)).decode()
        jobs.append((i, public, digest, signature))
    return jobs


def run(phase: str, settings: Settings, n: int) -> dict[str, Any]:
    """Run one phase; its count and timing."""
    started = time.perf_counter()
    if phase == "raw-verify":
        jobs = raw_jobs(n)
        rate = _raw_verify_rate(jobs, os.cpu_count() or 1)
        return {"count": n, "seconds": n / rate, "rate": rate}
    if phase == "raw-read":
        count, rate = raw_read_rate(settings)
        return {"count": count, "seconds": count / rate, "rate": rate}
    system = open_ledger(settings)
    try:
        if phase == "verify":
            ledger = system.ledger
            report = verify_ledger(ledger, system.log, ledger_public_key=ledger.ledger_public_key)
            seconds = time.perf_counter() - started
            if not report.ok:
                raise SystemExit(f"the ledger does not verify: {report.failures[:3]}")
            return {"count": report.statements, "seconds": seconds, "rate": report.statements / seconds}
        (projection,) = open_projections(system, [phase])
        rebuilt = projection.rebuild()
        return {
            "count": rebuilt.statements,
            "seconds": rebuilt.seconds,
            "rate": rebuilt.statements / rebuilt.seconds,
        }
    finally:
        system.close()


def peak_rss_mb() -> float:
    """This process's own peak RSS (``VmHWM``: ``ru_maxrss`` would carry the parent's over fork + exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Entry point: ``PHASE DATABASE_URL HOME [N]``; prints the JSON result."""
    phase, url, home = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 20_000
    settings = Settings(database_url=url, home=Path(home), origin="bench.example.org/ledger")
    result = run(phase, settings, n)
    result["code"] = str(Path(registry.__file__).resolve().parents[1])
    result["rss_mb"] = peak_rss_mb()
    result["children_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
