"""A record of each whole-ledger verification run, so the service can show when the ledger was last
verified and with what result (the CLI's ``ledger verify`` writes it; the ledger page reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ledger.logstore import LogStore
from ledger.timefmt import format_recorded_at
from ledger.verify import VerifyReport

TABLE = (
    "CREATE TABLE IF NOT EXISTS {t}ledger_verify_runs (run_at TEXT PRIMARY KEY, ok INTEGER NOT NULL,"
    " statements BIGINT NOT NULL, leaves BIGINT NOT NULL, checkpoints BIGINT NOT NULL,"
    " failures BIGINT NOT NULL, first_failure TEXT NOT NULL)"
)


@dataclass(frozen=True)
class VerifyRun:
    """The outcome of one ``ledger verify``."""

    run_at: str
    ok: bool
    statements: int
    leaves: int
    checkpoints: int
    failures: int
    first_failure: str


def record_run(tables: LogStore, report: VerifyReport, now: datetime | None = None) -> VerifyRun:
    """Store the outcome of a verification run."""
    first = report.failures[0] if report.failures else None
    run = VerifyRun(
        run_at=format_recorded_at(now or datetime.now(UTC)),
        ok=report.ok,
        statements=report.statements,
        leaves=report.leaves,
        checkpoints=report.checkpoints,
        failures=len(report.failures),
        first_failure=f"{first.check} at {first.where()}: {first.message}" if first else "",
    )
    tables.ensure([TABLE])
    with tables.transaction(commit=True) as cursor:
        cursor.execute(
            tables.sql(
                "INSERT INTO {t}ledger_verify_runs (run_at, ok, statements, leaves, checkpoints, failures,"
                " first_failure) VALUES (?, ?, ?, ?, ?, ?, ?)"
            ),
            [
                run.run_at,
                int(run.ok),
                run.statements,
                run.leaves,
                run.checkpoints,
                run.failures,
                run.first_failure,
            ],
        )
    return run


def latest_run(tables: LogStore) -> VerifyRun | None:
    """The most recent verification run, or None if the ledger was never verified."""
    tables.ensure([TABLE])
    with tables.reading() as cursor:
        cursor.execute(tables.sql("SELECT * FROM {t}ledger_verify_runs ORDER BY run_at DESC LIMIT 1"))
        row = cursor.fetchone()
    if row is None:
        return None
    return VerifyRun(
        str(row["run_at"]),
        bool(row["ok"]),
        int(row["statements"]),
        int(row["leaves"]),
        int(row["checkpoints"]),
        int(row["failures"]),
        str(row["first_failure"]),
    )
