"""``python -m bench.scale``: how each cost grows with the ledger's size (10⁴, 10⁵; 10⁶ with ``--full``).

One province ledger (``bench.province``) per backend (SQLite, then PostgreSQL; ``--backend`` picks one)
grows from size to size; at each size: the append rate of the growth step, whole-ledger verification vs
a raw Ed25519 loop on all cores, the status and dossier rebuilds vs the raw notification read + decode
rate (baselines before and after, averaged), each in its own process so that its peak RSS is its own,
then read latencies: the dossier of a random member (verified, as the API serves it), a status list page
(50 rows of the province), and the 附件5 statistics of the province root. Then HTTP appends with 1, 4
and 16 clients (``bench.http``). Written to ``bench/results/scale.md``, ``scale.json`` and ``scale.png``
(``scale-postgres.png`` for the PostgreSQL growth).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bench.http import bench_http
from bench.kernel import Figure
from bench.province import Province
from ledger.settings import Settings
from projections.dossier_read import dossier
from projections.reads import read_statistics
from projections.status_read import StatusFilter, list_status

PG_URL = os.environ.get("LEDGER_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).parent / "results"
ORIGIN = "bench.example.org/ledger"
TARGETS = {"dossier p99": 20.0, "statistics (root) p99": 200.0}


def settings_for(backend: str, workdir: Path, name: str) -> Settings:
    """A fresh SQLite file or PostgreSQL schema."""
    home = workdir / f"{backend}-{name}"
    if backend == "sqlite":
        return Settings(database_url=f"sqlite:///{home}/ledger.sqlite", home=home, origin=ORIGIN)
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return Settings(database_url=f"{PG_URL}?schema={schema}", home=home, origin=ORIGIN)


def drop_schemas(settings: list[Settings]) -> None:
    """Drop the PostgreSQL schemas the run created."""
    names = [s.database_url.split("schema=", 1)[1] for s in settings if "schema=" in s.database_url]
    if names:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def phase(name: str, settings: Settings, n: int = 20_000) -> dict[str, Any]:
    """Run ``bench.phase`` in a fresh process; its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.phase", name, settings.database_url, str(settings.home), str(n)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def timed(do: Callable[[], object], samples: int, budget: float) -> list[float]:
    """Durations (ms) of up to ``samples`` calls, stopping early once ``budget`` seconds are spent."""
    durations: list[float] = []
    spent = time.perf_counter()
    for _ in range(samples):
        started = time.perf_counter()
        do()
        durations.append((time.perf_counter() - started) * 1e3)
        if time.perf_counter() - spent > budget:
            break
    return durations


def pct(values: list[float], p: int) -> float:
    """The p-th percentile (inclusive method; the maximum for p99 of few samples)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def measure_size(province: Province, step: Any, quick: bool) -> dict[str, Any]:
    """Every figure of one size (the ledger is at rest: the log up to date)."""
    s = province.settings
    row: dict[str, Any] = {
        "statements": province.statements,
        "members": len(province.members),
        "cities": province.cities,
        "append_rate": step.append_rate,
        "generator_rate": step.generator_rate,
    }
    raw_verify = [phase("raw-verify", s, 5000 if quick else 20_000)]
    verify = phase("verify", s)
    raw_verify.append(phase("raw-verify", s, 5000 if quick else 20_000))
    raw_read = [phase("raw-read", s)]
    status = phase("status", s)
    dossier_rebuild = phase("dossier", s)
    raw_read.append(phase("raw-read", s))
    row |= {
        "verify_rate": verify["rate"],
        "raw_verify_rate": statistics.mean(r["rate"] for r in raw_verify),
        "verify_rss_mb": max(verify["rss_mb"], verify["children_rss_mb"]),
        "status_rate": status["rate"],
        "dossier_rate": dossier_rebuild["rate"],
        "raw_read_rate": statistics.mean(r["rate"] for r in raw_read),
        "status_rss_mb": status["rss_mb"],
        "dossier_rss_mb": dossier_rebuild["rss_mb"],
        "raw_read_rss_mb": max(r["rss_mb"] for r in raw_read),
    }
    system = province.system
    rng = random.Random(11)
    members = province.members
    dossier(system, members[0])  # warm the registry and connections
    d = timed(lambda: dossier(system, rng.choice(members)), 300 if not quick else 100, 30)
    total_pages = max(1, len(members) // 50)
    where = StatusFilter(unit=province.root)
    st = timed(lambda: list_status(system, where, page=rng.randint(1, total_pages)), 100, 30)
    read_statistics(system, province.root)
    stats = timed(lambda: read_statistics(system, province.root), 20, 60)
    row |= {
        "dossier_p50_ms": pct(d, 50),
        "dossier_p99_ms": pct(d, 99),
        "dossier_samples": len(d),
        "status_page_p50_ms": pct(st, 50),
        "status_page_p99_ms": pct(st, 99),
        "status_page_samples": len(st),
        "statistics_p50_ms": pct(stats, 50),
        "statistics_p99_ms": pct(stats, 99),
        "statistics_samples": len(stats),
    }
    return row


COLUMNS: list[tuple[str, str, str]] = [
    ("statements", "statements", "{:,.0f}"),
    ("members", "members", "{:,.0f}"),
    ("generator_rate", "generator (statements/s)", "{:,.0f}"),
    ("append_rate", "append, batched (statements/s)", "{:,.0f}"),
    ("verify_rate", "verify (statements/s)", "{:,.0f}"),
    ("raw_verify_rate", "raw Ed25519, all cores (signatures/s)", "{:,.0f}"),
    ("verify_ratio", "verify / raw", "{:.2f}"),
    ("verify_rss_mb", "verify peak RSS (MB)", "{:,.0f}"),
    ("status_rate", "rebuild status (statements/s)", "{:,.0f}"),
    ("dossier_rate", "rebuild dossier (statements/s)", "{:,.0f}"),
    ("raw_read_rate", "raw read + decode (statements/s)", "{:,.0f}"),
    ("status_ratio", "status / raw read", "{:.2f}"),
    ("dossier_ratio", "dossier / raw read", "{:.2f}"),
    ("status_rss_mb", "rebuild status peak RSS (MB)", "{:,.0f}"),
    ("dossier_rss_mb", "rebuild dossier peak RSS (MB)", "{:,.0f}"),
    ("dossier_p50_ms", "dossier p50 (ms)", "{:,.1f}"),
    ("dossier_p99_ms", "dossier p99 (ms) · target < 20", "{:,.1f}"),
    ("status_page_p50_ms", "status page p50 (ms)", "{:,.1f}"),
    ("status_page_p99_ms", "status page p99 (ms)", "{:,.1f}"),
    ("statistics_p50_ms", "root statistics p50 (ms)", "{:,.0f}"),
    ("statistics_p99_ms", "root statistics p99 (ms) · target < 200", "{:,.0f}"),
]


def with_ratios(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its derived ratios."""
    return row | {
        "verify_ratio": row["verify_rate"] / row["raw_verify_rate"],
        "status_ratio": row["status_rate"] / row["raw_read_rate"],
        "dossier_ratio": row["dossier_rate"] / row["raw_read_rate"],
    }


def growth_table(title: str, rows: list[dict[str, Any]]) -> tuple[Table, list[str]]:
    """The growth table (figures down, sizes across) for the console and as Markdown."""
    table = Table(title=title)
    table.add_column("figure")
    heads = [f"{r['statements']:,}" for r in rows]
    for head in heads:
        table.add_column(head, justify="right")
    lines = ["| figure | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(rows)]
    for key, label, fmt in COLUMNS[1:]:
        cells = [fmt.format(r[key]) for r in rows]
        table.add_row(label, *cells)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return table, lines


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Rates and latencies against the ledger's size (log-log), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["statements"] for r in rows]
    fig, (rates, latency) = plt.subplots(1, 2, figsize=(12, 4.8))
    for key, label in [("append_rate", "append (batched)"), ("verify_rate", "verify"),
                       ("raw_verify_rate", "raw Ed25519"), ("status_rate", "rebuild status"),
                       ("dossier_rate", "rebuild dossier"), ("raw_read_rate", "raw read")]:  # fmt: skip
        rates.plot(sizes, [r[key] for r in rows], marker="o", label=label)
    rates.set(xscale="log", yscale="log", xlabel="statements in the ledger", ylabel="statements/s",
              title="throughput")  # fmt: skip
    rates.legend(fontsize="small")
    for key, label in [("dossier_p99_ms", "dossier p99"), ("status_page_p99_ms", "status page p99"),
                       ("statistics_p99_ms", "root statistics p99")]:  # fmt: skip
        latency.plot(sizes, [r[key] for r in rows], marker="o", label=label)
    latency.axhline(20, linestyle=":", color="grey")
    latency.axhline(200, linestyle="--", color="grey")
    latency.set(xscale="log", yscale="log", xlabel="statements in the ledger", ylabel="ms",
                title="read latency (targets 20 ms, 200 ms)")  # fmt: skip
    latency.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def grow_and_measure(
    backend: str, workdir: Path, sizes: list[int], quick: bool, bar: Progress, made: list[Settings]
) -> list[dict[str, Any]]:
    """One province ledger on ``backend`` grown from size to size, measured at each."""
    settings = settings_for(backend, workdir, "province")
    made.append(settings)
    province = Province(settings)
    rows: list[dict[str, Any]] = []
    try:
        for size in sizes:
            task = bar.add_task(f"{backend}: grow to {size:,}", total=size - province.statements)
            step = province.grow(size, lambda n, task=task: bar.advance(task, n))  # type: ignore[misc]
            bar.update(task, completed=size - province.statements + step.statements)
            measuring = bar.add_task(f"{backend}: measure at {province.statements:,}", total=1)
            rows.append(with_ratios(measure_size(province, step, quick)))
            bar.advance(measuring, 1)
    finally:
        province.close()
    return rows


def main() -> None:
    """Parse arguments, grow and measure, run the HTTP benchmark, print and write the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--full", action="store_true", help="also 10⁶ statements (long)")
    parser.add_argument("--quick", action="store_true", help="2·10³ and 10⁴ only, for a smoke run")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both",
                        help="the growth runs' database (both: SQLite, then PostgreSQL)")  # fmt: skip
    parser.add_argument("--http", choices=["postgres", "sqlite", "none"], default="postgres",
                        help="the HTTP append benchmark's database")  # fmt: skip
    parser.add_argument(
        "--keep", action="store_true", help="keep the working directory (its path is printed)"
    )
    args = parser.parse_args()
    sizes = [2_000, 10_000] if args.quick else [10_000, 100_000] + ([1_000_000] if args.full else [])
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    console = Console()
    workdir = Path(tempfile.mkdtemp(prefix="ledger-scale-"))
    made: list[Settings] = []
    growth: dict[str, list[dict[str, Any]]] = {}
    http: list[Figure] = []
    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:  # fmt: skip
            for backend in backends:
                growth[backend] = grow_and_measure(backend, workdir, sizes, args.quick, bar, made)
            if args.http != "none":
                task = bar.add_task(f"{args.http}: HTTP appends (1, 4, 16 clients)", total=3)
                http_settings = settings_for(args.http, workdir, "http")
                made.append(http_settings)
                http = bench_http(http_settings, 240 if args.quick else 960, lambda n: bar.advance(task, n))
    finally:
        drop_schemas(made)
        if args.keep:
            console.print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    machine = f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    md: list[str] = []
    for backend, rows in growth.items():
        table, lines = growth_table(f"growth · {backend} · {machine}", rows)
        console.print(table)
        md += [f"## Growth ({backend}; {machine})", "", *lines, ""]
    if http:
        http_table = Table(title=f"HTTP appends · ledger serve on {args.http}")
        for column in ("figure", "value", "unit", "raw baseline", "ratio"):
            http_table.add_column(column)
        md += [f"## HTTP appends (ledger serve on {args.http})", "",
               "| figure | value | unit | raw baseline | ratio |", "|---|---:|---|---:|---:|"]  # fmt: skip
        for f in http:
            cells = [f.name.strip(), f"{f.value:,.1f}", f.unit, f"{f.baseline:,.0f}" if f.baseline else "",
                     f"{f.ratio:.2f}" if f.ratio else ""]  # fmt: skip
            http_table.add_row(*cells)
            md.append("| " + " | ".join(cells) + " |")
        console.print(http_table)
    RESULTS.mkdir(exist_ok=True)
    stem = "scale" if not args.quick else "scale-quick"
    (RESULTS / f"{stem}.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.json").write_text(
        json.dumps({"machine": machine, "growth": growth,
                    "http": {"backend": args.http, "figures": [f.__dict__ | {"ratio": f.ratio} for f in http]}},
                   indent=1),
        encoding="utf-8",
    )  # fmt: skip
    for backend, rows in growth.items():
        plot(rows, RESULTS / (f"{stem}.png" if backend == backends[0] else f"{stem}-{backend}.png"))
    console.print(f"written to {RESULTS / (stem + '.md')}")


if __name__ == "__main__":
    main()
