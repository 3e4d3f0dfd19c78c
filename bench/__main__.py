"""``python -m bench``: run the kernel benchmarks on SQLite and PostgreSQL and print the figures."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bench.kernel import Figure, Tick, bench_append, bench_proofs, bench_verify, settings_for
from bench.projections import bench_rebuilds
from ledger.settings import Settings

PG_URL = os.environ.get("LEDGER_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).parent / "results"


def main() -> None:
    """Parse arguments, run, print a table and write ``bench/results/kernel.json`` and ``.md``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    appends = 400 if args.quick else 3000
    verifies = 2000 if args.quick else 30_000
    sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    demo_members = 100 if args.quick else 2000
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    console = Console()
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    results: dict[str, list[Figure]] = {}
    schemas: list[str] = []
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:

            def ticker(description: str, total: int) -> Tick:
                task = bar.add_task(description, total=total)
                return lambda n: bar.advance(task, n)

            def fresh(backend: str, name: str) -> Settings:
                settings = settings_for(backend, workdir, name, PG_URL)
                schemas.append(settings.database_url)
                return settings

            for backend in backends:
                figures: list[Figure] = []
                figures += bench_append(
                    fresh(backend, "append"),
                    appends,
                    ticker(f"{backend}: kernel appends", appends * 2),
                    guards=False,
                )
                figures += bench_append(
                    fresh(backend, "guarded"),
                    appends,
                    ticker(f"{backend}: guarded appends", appends * 2),
                    guards=True,
                )
                figures += bench_verify(
                    fresh(backend, "verify"), verifies, ticker(f"{backend}: verification", verifies)
                )
                figures += bench_rebuilds(
                    fresh(backend, "rebuild"), demo_members, ticker(f"{backend}: projection rebuilds", 3)
                )
                figures += bench_proofs(
                    fresh(backend, "proofs"), sizes, ticker(f"{backend}: proofs", max(sizes))
                )
                results[backend] = figures
    finally:
        _drop_schemas(schemas)
        shutil.rmtree(workdir, ignore_errors=True)
    table = Table(
        title=f"kernel benchmarks · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    )
    for column in ("backend", "figure", "value", "unit", "baseline", "ratio", "target"):
        table.add_column(column)
    lines = [
        "| backend | figure | value | unit | baseline | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for backend, figures in results.items():
        for f in figures:
            row = [
                backend,
                f.name.strip(),
                f"{f.value:,.3f}" if f.value < 10 else f"{f.value:,.0f}",
                f.unit,
                f"{f.baseline:,.0f}" if f.baseline else "",
                f"{f.ratio:.2f}" if f.ratio else "",
                f.target,
            ]
            table.add_row(*row)
            lines.append("| " + " | ".join(row) + " |")
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "kernel.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "kernel.json").write_text(
        json.dumps({b: [f.__dict__ | {"ratio": f.ratio} for f in fs] for b, fs in results.items()}, indent=1),
        encoding="utf-8",
    )
    console.print(f"written to {RESULTS / 'kernel.md'}")


def _drop_schemas(urls: list[str]) -> None:
    names = [url.split("schema=", 1)[1] for url in urls if "schema=" in url]
    if not names:
        return
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


if __name__ == "__main__":
    main()
