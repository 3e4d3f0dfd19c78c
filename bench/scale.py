"""``python -m bench.scale``: how each cost grows with the ledger's size (``--sizes``, e.g. 10⁴ … 2·10⁶).

One province ledger (``bench.province``) per backend (SQLite, then PostgreSQL; ``--backend`` picks one)
grows from size to size; at each size: the append rate of the growth step, whole-ledger verification vs
a raw Ed25519 loop on all cores, the status, dossier and placements rebuilds vs the raw notification read +
decode rate (baselines before and after, averaged), each in its own process so that its peak RSS is its
own, then read latencies: the dossier of a random member (verified, as the API serves it), a status list
page (50 rows of the province), and the 附件5 statistics of the province root. Then HTTP appends with 1, 4
and 16 clients (``bench.http``). Written to ``bench/results/scale.md``, ``scale.json`` and ``scale.png``
after each size (a long run leaves its figures so far).

``--keep-ledgers DIR`` keeps a copy of the ledger at each size (``DIR/{backend}-{size}``: a manifest,
the home folder, and on PostgreSQL a database of its own); ``--measure DIR`` measures
those kept ledgers again with the current code, without growing anything (the growth figures are the
ones the manifest recorded). PostgreSQL ledgers grow in a database of their own so that each size is
kept as ``CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY``: a file copy of that database (tables,
indexes and statistics exactly as grown) at disk speed (database ``ledger_{DIR's name}_{size}``), where ``pg_dump -n | psql`` would re-insert every
row and rebuild every index; it needs no other connection to the growth database, so the province closes
its ledger while it is copied. The last size is not copied: its growth database is renamed.
"""

from __future__ import annotations

import argparse
import json
import math
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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from bench.http import bench_http
from bench.province import Province
from ledger.settings import Settings
from ledger.system import open_ledger
from projections.dossier_read import dossier
from projections.reads import read_statistics
from projections.status_read import StatusFilter, list_status

PG_URL = os.environ.get("LEDGER_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
"""The maintenance connection; growth and kept ledgers live in databases of their own on its server."""
RESULTS = Path(__file__).parent / "results"
CODE = Path(__file__).resolve().parents[1]
"""The project the harness runs from: the phase processes must import the same modules."""
ORIGIN = "bench.example.org/ledger"
SCHEMA = "ledger"
MANIFEST = "province.json"
TARGETS = {"dossier_p99_ms": 20.0, "statistics_p99_ms": 200.0}
STEPS = [
    "raw-verify",
    "verify",
    "raw-verify",
    "raw-read",
    "status",
    "dossier",
    "placements",
    "raw-read",
    "reads",
]
"""The measurements of one size, in order (baselines before and after what they are compared with)."""
FIXED_COST = {"raw-verify", "reads"}
"""Steps whose duration does not grow with the ledger (a fixed count of signatures, time-boxed reads)."""


# ---------------------------------------------------------------- databases and kept ledgers


def database_url(database: str) -> str:
    """The ledger URL of a database on the benchmark's PostgreSQL server (its ``ledger`` schema)."""
    parts = urlsplit(PG_URL)
    return urlunsplit(parts._replace(path=f"/{database}", query=f"schema={SCHEMA}"))


def database_of(url: str) -> str:
    """The database a PostgreSQL ledger URL names."""
    return urlsplit(url).path.lstrip("/")


def create_database(name: str, template: str | None = None) -> None:
    """A new database: empty with its ``ledger`` schema, or a file copy of ``template``."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template is None:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    if template is None:
        with psycopg.connect(database_url(name).split("?", 1)[0], autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{SCHEMA}"')


def rename_database(old: str, new: str) -> None:
    """Rename a database (the last size: its growth database is not needed any more)."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)')
        conn.execute(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


def drop_database(name: str) -> None:
    """Drop a database the run created."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def growth_settings(backend: str, workdir: Path) -> Settings:
    """A fresh ledger to grow: a SQLite file, or on PostgreSQL a database of its own (kept by copying it)."""
    home = workdir / f"{backend}-grow"
    if backend == "sqlite":
        return Settings(database_url=f"sqlite:///{home}/ledger.sqlite", home=home, origin=ORIGIN)
    name = f"ledger_scale_grow_{uuid.uuid4().hex[:8]}"
    create_database(name)
    return Settings(database_url=database_url(name), home=home, origin=ORIGIN)


def schema_settings(backend: str, workdir: Path, name: str) -> Settings:
    """A fresh SQLite file or PostgreSQL schema in the maintenance database (the HTTP benchmark's)."""
    home = workdir / f"{backend}-{name}"
    if backend == "sqlite":
        return Settings(database_url=f"sqlite:///{home}/ledger.sqlite", home=home, origin=ORIGIN)
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return Settings(database_url=f"{PG_URL}?schema={schema}", home=home, origin=ORIGIN)


def drop_schema(settings: Settings) -> None:
    """Drop a PostgreSQL schema ``schema_settings`` created."""
    if "schema=" in settings.database_url:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{settings.database_url.split("schema=", 1)[1]}" CASCADE')


@dataclass
class Kept:
    """A ledger at one size: where it is, what the reads sample, and the figures of its growth step."""

    backend: str
    size: int
    database_url: str
    home: str
    statements: int
    root: str
    cities: int
    append_rate: float
    generator_rate: float
    grown_at: str = ""
    appenders: int = 1
    members: list[str] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        """The ledger's settings."""
        return Settings(database_url=self.database_url, home=Path(self.home), origin=ORIGIN)


def kept_database(root: Path, size: int) -> str:
    """The PostgreSQL database of the ledger kept at ``size`` under ``root`` (named after the folder, so
    that two folders of kept ledgers do not share databases): ``ledger_scale_ledgers_1000000``."""
    tag = "".join(c if c.isalnum() else "_" for c in root.name.lower())[:30]
    return f"ledger_{tag}_{size}"


def keep(grown: Settings, kept: Kept, folder: Path, *, move: bool) -> Kept:
    """Copy (``move``: move) the closed ledger ``grown`` into ``folder``; the kept ledger, manifest written.

    SQLite: the home folder, database file included (the ledger is closed, its WAL checkpointed).
    PostgreSQL: the home folder (keys) and a file copy (or a rename) of the growth database.
    """
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    home = folder / "home"
    if move:
        shutil.move(str(grown.home), str(home))
    else:
        shutil.copytree(grown.home, home)
    if kept.backend == "sqlite":
        url = f"sqlite:///{home}/ledger.sqlite"
    else:
        name = kept_database(folder.parent, kept.size)
        if move:
            rename_database(database_of(grown.database_url), name)
        else:
            create_database(name, template=database_of(grown.database_url))
        url = database_url(name)
    kept.database_url, kept.home = url, str(home)
    (folder / MANIFEST).write_text(json.dumps(asdict(kept)), encoding="utf-8")
    return kept


def load_kept(root: Path, backends: list[str], sizes: list[int] | None) -> list[Kept]:
    """The ledgers kept under ``root`` for these backends (and sizes, if given), by backend then size."""
    found = []
    for manifest in root.glob(f"*/{MANIFEST}"):
        kept = Kept(**json.loads(manifest.read_text(encoding="utf-8")))
        if kept.backend in backends and (sizes is None or kept.size in sizes):
            found.append(kept)
    return sorted(found, key=lambda k: (backends.index(k.backend), k.size))


# ---------------------------------------------------------------- measurements


def phase(name: str, settings: Settings, n: int = 20_000) -> dict[str, Any]:
    """Run ``bench.phase`` in a fresh process importing this harness's code; its JSON result, or the
    error it died of (its figures then NaN: one failed phase does not end a long run)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CODE), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "bench.phase", name, settings.database_url, str(settings.home), str(n)]
    out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=CODE, check=False)
    if out.returncode != 0:
        tail = " | ".join(out.stderr.strip().splitlines()[-3:])
        return {"error": f"exit {out.returncode}: {tail}", "rate": math.nan, "rss_mb": math.nan,
                "children_rss_mb": math.nan, "seconds": math.nan}  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(result["code"]) != CODE:
        raise RuntimeError(f"phase {name} imported the code of {result['code']}, not {CODE}")
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


def read_latencies(kept: Kept, quick: bool) -> dict[str, Any]:
    """Dossier, status page and root statistics latencies on the ledger at rest (projections caught up
    first, untimed: the rebuild phases left them current)."""
    system = open_ledger(kept.settings)
    try:
        rng = random.Random(11)
        members = kept.members
        dossier(system, members[0])  # warm the registry and connections
        d = timed(lambda: dossier(system, rng.choice(members)), 100 if quick else 300, 30)
        total_pages = max(1, len(members) // 50)
        where = StatusFilter(unit=kept.root)
        list_status(system, where, page=1)
        st = timed(lambda: list_status(system, where, page=rng.randint(1, total_pages)), 100, 30)
        read_statistics(system, kept.root)
        stats = timed(lambda: read_statistics(system, kept.root), 20, 60)
    finally:
        system.close()
    return {
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


@dataclass
class Pace:
    """Seconds each step took at the last size measured: the time estimates of the next."""

    seconds: dict[str, float] = field(default_factory=dict)
    statements: int = 0

    def estimate(self, step: str, statements: int) -> float | None:
        """The expected duration of ``step`` at ``statements`` (linear in size, or fixed), if known."""
        if step not in self.seconds:
            return None
        return self.seconds[step] * (1 if step in FIXED_COST else statements / max(self.statements, 1))


def duration(seconds: float | None) -> str:
    """`` (≈ 3m20s)`` for an estimate, empty without one."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f" (≈ {minutes}m{secs:02d}s)" if minutes else f" (≈ {secs}s)"


def measure(
    kept: Kept,
    quick: bool,
    bar: Progress,
    pace: Pace,
    partial: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Every figure of one kept (or growing, at rest) ledger: each step with its estimate on the bar;
    ``partial`` gets the row so far after each step (figures not measured yet are NaN)."""
    s, n = kept.settings, 5000 if quick else 20_000
    label = f"{kept.backend}: measure {kept.statements:,}"
    total = sum(pace.estimate(step, kept.statements) or 0 for step in STEPS)
    task = bar.add_task(f"{label}{duration(total or None)}", total=len(STEPS))
    results: dict[str, list[dict[str, Any]]] = {}
    reads: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for index, step in enumerate(STEPS):
        bar.update(task, description=f"{label}: {step}{duration(pace.estimate(step, kept.statements))}")
        started = time.perf_counter()
        if step == "reads":
            reads = read_latencies(kept, quick)
        else:
            results.setdefault(step, []).append(phase(step, s, n))
        seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - started
        bar.advance(task, 1)
        if partial is not None and index + 1 < len(STEPS):
            partial(size_row(kept, results, reads, seconds))
    bar.update(task, description=label)
    pace.seconds = {step: spent / STEPS.count(step) for step, spent in seconds.items()}
    pace.statements = kept.statements
    return size_row(kept, results, reads, seconds)


def size_row(
    kept: Kept, results: dict[str, list[dict[str, Any]]], reads: dict[str, Any], seconds: dict[str, float]
) -> dict[str, Any]:
    """One size's row from the phases measured so far (NaN for the others)."""

    def figure(step: str, key: str, combine: Callable[[list[float]], float] = max) -> float:
        values = [r[key] for r in results.get(step, [])]
        return combine(values) if values else math.nan

    errors = {step: r["error"] for step, rs in results.items() for r in rs if "error" in r}
    return with_ratios(
        {
            "size": kept.size,
            "statements": kept.statements,
            "members": len(kept.members),
            "cities": kept.cities,
            "append_rate": kept.append_rate,
            "generator_rate": kept.generator_rate,
            "grown_at": kept.grown_at,
            "appenders": kept.appenders,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "ledger": kept.database_url,
            "verify_rate": figure("verify", "rate"),
            "raw_verify_rate": figure("raw-verify", "rate", statistics.mean),
            "verify_rss_mb": max(figure("verify", "rss_mb"), figure("verify", "children_rss_mb")),
            "status_rate": figure("status", "rate"),
            "dossier_rate": figure("dossier", "rate"),
            "placements_rate": figure("placements", "rate"),
            "raw_read_rate": figure("raw-read", "rate", statistics.mean),
            "status_rss_mb": figure("status", "rss_mb"),
            "dossier_rss_mb": figure("dossier", "rss_mb"),
            "placements_rss_mb": figure("placements", "rss_mb"),
            "raw_read_rss_mb": figure("raw-read", "rss_mb"),
            "seconds": dict(seconds),
            "errors": errors,
            "complete": len(seconds) == len(set(STEPS)) and sum(map(len, results.values())) == len(STEPS) - 1,
        }
        | reads
    )


def with_ratios(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its derived ratios."""
    return row | {
        "verify_ratio": row["verify_rate"] / row["raw_verify_rate"],
        "status_ratio": row["status_rate"] / row["raw_read_rate"],
        "dossier_ratio": row["dossier_rate"] / row["raw_read_rate"],
        "placements_ratio": row["placements_rate"] / row["raw_read_rate"],
    }


# ---------------------------------------------------------------- growth


def grow_and_measure(
    backend: str,
    workdir: Path,
    sizes: list[int],
    options: argparse.Namespace,
    bar: Progress,
    done: Callable[[dict[str, Any]], None],
    partial: Callable[[dict[str, Any]], None],
) -> None:
    """One province ledger on ``backend`` grown from size to size, kept (``--keep-ledgers``) and measured
    at each; ``done`` gets each size's row, ``partial`` the row so far after each step."""
    settings = growth_settings(backend, workdir)
    province = Province(settings, appenders=options.appenders)
    pace = Pace()
    rate = 0.0
    try:
        for index, size in enumerate(sizes):
            todo = size - province.statements
            estimate = todo / rate if rate else None
            task = bar.add_task(f"{backend}: grow to {size:,}{duration(estimate)}", total=todo)
            step = province.grow(size, lambda n, task=task: bar.advance(task, n))  # type: ignore[misc]
            bar.update(task, completed=todo)
            rate = step.generator_rate
            kept = Kept(backend, size, settings.database_url, str(settings.home), province.statements,
                        province.root, province.cities, step.append_rate, step.generator_rate,
                        datetime.now(UTC).isoformat(timespec="seconds"), options.appenders,
                        list(province.members))  # fmt: skip
            if options.keep_ledgers is not None:
                last = index == len(sizes) - 1
                copying = bar.add_task(f"{backend}: keep {size:,}", total=1)
                province.pause()
                kept = keep(settings, kept, options.keep_ledgers / f"{backend}-{size}", move=last)
                if not last:
                    province.resume()
                bar.advance(copying, 1)
            if not options.grow_only:
                done(measure(kept, options.quick, bar, pace, partial))
    finally:
        province.close()
        if backend == "postgres":
            drop_database(database_of(settings.database_url))


# ---------------------------------------------------------------- results


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
    ("placements_rate", "rebuild placements (statements/s)", "{:,.0f}"),
    ("raw_read_rate", "raw read + decode (statements/s)", "{:,.0f}"),
    ("status_ratio", "status / raw read", "{:.2f}"),
    ("dossier_ratio", "dossier / raw read", "{:.2f}"),
    ("placements_ratio", "placements / raw read", "{:.2f}"),
    ("status_rss_mb", "rebuild status peak RSS (MB)", "{:,.0f}"),
    ("dossier_rss_mb", "rebuild dossier peak RSS (MB)", "{:,.0f}"),
    ("placements_rss_mb", "rebuild placements peak RSS (MB)", "{:,.0f}"),
    ("raw_read_rss_mb", "raw read peak RSS (MB)", "{:,.0f}"),
    ("dossier_p50_ms", "dossier p50 (ms)", "{:,.1f}"),
    ("dossier_p99_ms", "dossier p99 (ms) · target < 20", "{:,.1f}"),
    ("status_page_p50_ms", "status page p50 (ms)", "{:,.1f}"),
    ("status_page_p99_ms", "status page p99 (ms)", "{:,.1f}"),
    ("statistics_p50_ms", "root statistics p50 (ms)", "{:,.0f}"),
    ("statistics_p99_ms", "root statistics p99 (ms) · target < 200", "{:,.0f}"),
]


def growth_table(title: str, rows: list[dict[str, Any]]) -> tuple[Table, list[str]]:
    """The growth table (figures down, sizes across) for the console and as Markdown."""
    table = Table(title=title)
    table.add_column("figure")
    heads = [f"{r['statements']:,}" for r in rows]
    for head in heads:
        table.add_column(head, justify="right")
    lines = ["| figure | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(rows)]
    for key, label, fmt in COLUMNS[1:]:
        cells = [fmt.format(r[key]) if key in r else "" for r in rows]
        table.add_row(label, *cells)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return table, lines


def misses(rows: list[dict[str, Any]]) -> list[str]:
    """Each figure over its target, and each phase that failed."""
    found = [f"{r['statements']:,}: {key} = {r[key]:,.1f} (target < {limit:g})"
             for r in rows for key, limit in TARGETS.items() if r.get(key, 0) >= limit]  # fmt: skip
    found += [
        f"{r['statements']:,}: {step} failed: {error}"
        for r in rows
        for step, error in r.get("errors", {}).items()
    ]
    return found


def series(axes: Any, sizes: list[int], values: list[float], label: str) -> None:
    """One line of a log-log plot, over the sizes where the figure was measured (none: no line)."""
    points = [(x, y) for x, y in zip(sizes, values, strict=True) if math.isfinite(y) and y > 0]
    if points:
        axes.plot([x for x, _ in points], [y for _, y in points], marker="o", label=label)


def plot(growth: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """Rates and latencies against the ledger's size (log-log), one row of two plots per backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(growth), 2, figsize=(12, 4.8 * len(growth)), squeeze=False)
    for (backend, rows), (rates, latency) in zip(growth.items(), axes, strict=True):
        sizes = [r["statements"] for r in rows]
        for key, label in [("append_rate", "append (batched)"), ("generator_rate", "generator"),
                           ("verify_rate", "verify"), ("raw_verify_rate", "raw Ed25519"),
                           ("status_rate", "rebuild status"), ("dossier_rate", "rebuild dossier"),
                           ("placements_rate", "rebuild placements"), ("raw_read_rate", "raw read")]:  # fmt: skip
            series(rates, sizes, [r.get(key, math.nan) for r in rows], label)
        rates.set(xscale="log", yscale="log" if rates.lines else "linear", xlabel="statements in the ledger",
                  ylabel="statements/s", title=f"throughput · {backend}")  # fmt: skip
        if rates.lines:
            rates.legend(fontsize="small")
        for key, label in [("dossier_p99_ms", "dossier p99"), ("status_page_p99_ms", "status page p99"),
                           ("statistics_p99_ms", "root statistics p99")]:  # fmt: skip
            series(latency, sizes, [r.get(key, math.nan) for r in rows], label)
        latency.axhline(20, linestyle=":", color="grey")
        latency.axhline(200, linestyle="--", color="grey")
        latency.set(xscale="log", yscale="log", xlabel="statements in the ledger", ylabel="ms",
                    title=f"read latency · {backend} (targets 20 ms, 200 ms)")  # fmt: skip
        if latency.lines[2:]:  # the two target lines carry no label
            latency.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


@dataclass
class Results:
    """The run's figures so far, written after each size (``merge``: other backends' rows kept from the
    previous file)."""

    folder: Path
    stem: str
    machine: str
    growth: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    http: dict[str, Any] = field(default_factory=dict)

    def load_previous(self) -> None:
        """Start from the growth rows and HTTP figures already written under this stem."""
        path = self.folder / f"{self.stem}.json"
        if path.exists():
            previous = json.loads(path.read_text(encoding="utf-8"))
            self.growth, self.http = previous.get("growth", {}), previous.get("http", {})

    def markdown(self) -> list[str]:
        """The growth tables, misses and HTTP figures as Markdown."""
        md: list[str] = []
        for backend, rows in self.growth.items():
            _, lines = growth_table(backend, rows)
            md += [f"## Growth ({backend}; {self.machine})", "", *lines, ""]
            if found := misses(rows):
                md += ["Missed targets and failed phases:", "", *[f"- {m}" for m in found], ""]
        if self.http.get("figures"):
            md += [f"## HTTP appends (ledger serve on {self.http['backend']})", "",
                   "| figure | value | unit | raw baseline | ratio |", "|---|---:|---|---:|---:|"]  # fmt: skip
            for f in self.http["figures"]:
                md.append("| " + " | ".join(http_cells(f)) + " |")
        return md

    def write(self) -> None:
        """Write ``{stem}.md``, ``.json`` and ``.png``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{self.stem}.md").write_text("\n".join(self.markdown()) + "\n", encoding="utf-8")
        document = {"machine": self.machine, "growth": self.growth, "http": self.http}
        (self.folder / f"{self.stem}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
        if any(self.growth.values()):
            plot({b: rows for b, rows in self.growth.items() if rows}, self.folder / f"{self.stem}.png")


def http_cells(f: dict[str, Any]) -> list[str]:
    """One HTTP figure as table cells."""
    return [f["name"].strip(), f"{f['value']:,.1f}", f["unit"], f"{f['baseline']:,.0f}" if f["baseline"] else "",
            f"{f['ratio']:.2f}" if f["ratio"] else ""]  # fmt: skip


def tagged(sink: Callable[[dict[str, Any]], None], backend: str) -> Callable[[dict[str, Any]], None]:
    """``sink`` for rows of ``backend`` (each row gets its backend's name)."""
    return lambda row: sink(row | {"backend": backend})


def parse_sizes(text: str) -> list[int]:
    """``10000,1e5,2000000`` → sizes, ascending."""
    return sorted({int(float(part)) for part in text.split(",") if part.strip()})


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--sizes", type=parse_sizes, default=None,
                        help="statements at which to measure, e.g. 10000,100000,1000000,2000000 "
                             "(default 10⁴, 10⁵; with --measure: every kept size)")  # fmt: skip
    parser.add_argument("--full", action="store_true", help="default sizes and 10⁶")
    parser.add_argument("--quick", action="store_true", help="2·10³ and 10⁴, fewer samples: a smoke run")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both",
                        help="the growth runs' database (both: SQLite, then PostgreSQL)")  # fmt: skip
    parser.add_argument("--http", choices=["postgres", "sqlite", "none"], default="postgres",
                        help="the HTTP append benchmark's database")  # fmt: skip
    parser.add_argument("--keep-ledgers", type=Path, metavar="DIR",
                        help="keep a copy of the ledger at each size under DIR")  # fmt: skip
    parser.add_argument("--measure", type=Path, metavar="DIR",
                        help="measure the ledgers kept under DIR again (no growth)")  # fmt: skip
    parser.add_argument("--appenders", type=int, default=1,
                        help="processes appending member statements concurrently (1: the seed's order)")  # fmt: skip
    parser.add_argument("--grow-only", action="store_true",
                        help="with --keep-ledgers: grow and keep, measure nothing (measure with --measure, "
                             "for instance in a second process while the ledger grows)")  # fmt: skip
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--stem", help="results file name (default scale, scale-quick with --quick)")
    parser.add_argument("--merge", action="store_true",
                        help="keep the results file's rows of other backends and sizes (and its HTTP figures)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the working directory (path printed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Grow and measure (or ``--measure`` kept ledgers), run the HTTP benchmark, print and write results."""
    args = arguments(argv)
    if args.grow_only and args.keep_ledgers is None:
        raise SystemExit("--grow-only keeps the ledgers: give --keep-ledgers DIR")
    if args.sizes is None and args.measure is None:
        args.sizes = [2_000, 10_000] if args.quick else [10_000, 100_000] + ([1_000_000] if args.full else [])
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    console = Console()
    machine = f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    results = Results(args.results, args.stem or ("scale-quick" if args.quick else "scale"), machine)
    if args.merge:
        results.load_previous()
    for backend in backends:
        results.growth.setdefault(backend, []) if args.merge else results.growth.update({backend: []})
    workdir = Path(tempfile.mkdtemp(prefix="ledger-scale-"))
    http_settings: Settings | None = None
    console.print(f"code: {CODE}; results: {args.results}; work: {workdir}")
    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=console) as bar:  # fmt: skip

            def partial(row: dict[str, Any]) -> None:
                rows = [r for r in results.growth[row["backend"]] if r.get("size") != row["size"]] + [row]
                results.growth[row["backend"]] = sorted(rows, key=lambda r: int(r["statements"]))
                results.write()

            def done(row: dict[str, Any]) -> None:
                partial(row)
                console.print(f"{row['backend']} {row['statements']:,}: written; took "
                              + ", ".join(f"{k} {v:.0f}s" for k, v in row["seconds"].items()))  # fmt: skip

            if args.measure is not None:
                pace: dict[str, Pace] = {}
                for kept in load_kept(args.measure, backends, args.sizes):
                    sink = tagged(partial, kept.backend)
                    tagged(done, kept.backend)(
                        measure(kept, args.quick, bar, pace.setdefault(kept.backend, Pace()), sink)
                    )
            else:
                for backend in backends:
                    grow_and_measure(backend, workdir, args.sizes, args, bar, tagged(done, backend),
                                     tagged(partial, backend))  # fmt: skip
            if args.http != "none":
                task = bar.add_task(f"{args.http}: HTTP appends (1, 4, 16 clients)", total=3)
                http_settings = schema_settings(args.http, workdir, "http")
                http = bench_http(http_settings, 240 if args.quick else 960, lambda n: bar.advance(task, n))
                results.http = {"backend": args.http,
                                "figures": [f.__dict__ | {"ratio": f.ratio} for f in http]}  # fmt: skip
                results.write()
    finally:
        if http_settings is not None:
            drop_schema(http_settings)
        if args.keep:
            console.print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    for backend, rows in results.growth.items():
        console.print(growth_table(f"growth · {backend} · {machine}", rows)[0])
        for line in misses(rows):
            console.print(f"[red]missed: {line}")
    if results.http.get("figures"):
        http_table = Table(title=f"HTTP appends · ledger serve on {results.http['backend']}")
        for column in ("figure", "value", "unit", "raw baseline", "ratio"):
            http_table.add_column(column)
        for f in results.http["figures"]:
            http_table.add_row(*http_cells(f))
        console.print(http_table)
    console.print(f"written to {args.results / (results.stem + '.md')}")


if __name__ == "__main__":
    main()
