"""Kernel benchmarks: appends, whole-ledger verification, and proofs from the database.

Each figure is printed beside a baseline measured in the same run on the same machine:
appends against the raw eventsourcing rate of saving the same payloads unsigned, one event per save;
verification against a raw Ed25519-verify loop on all cores; proofs at 10⁴, 10⁵ and 10⁶ leaves.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger import keys, merkle
from ledger.canonical import canonical
from ledger.events import StatementRecorded
from ledger.logstore import LeafRow, LogStore, node_key
from ledger.rules import DomainGate, Judgement
from ledger.sandbox import WORK_DAY, Actor, World, make_world
from ledger.settings import Settings
from ledger.sigcheck import SignatureJob, failing_signatures
from ledger.statement import new_statement, sign_statement, statement_hash
from ledger.store import LedgerApplication
from ledger.system import LedgerSystem
from ledger.verify import verify_ledger

Tick = Callable[[int], None]


@dataclass
class Figure:
    """One measured figure, optionally with its baseline and the ratio between them."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    target: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


def payload(attempt_no: int, searchers: list[str]) -> dict[str, Any]:
    """A realistic search-attempt body (~1 KB with Chinese text)."""
    return {
        "attempt_no": attempt_no,
        "method": "department",
        "target": "户籍所在地派出所及社区居委会",
        "phone": "13800000000",
        "narrative": "支部委员两人前往其户籍所在地派出所查询现住址，并走访社区居委会，了解到该党员"
        "于二〇一九年外出务工后未再返回，其家属表示近三年无联系，留下支部联系电话请家属转告。" * 3,
        "result": "no_trace",
        "searchers": searchers,
    }


@dataclass
class Scene:
    """A ledger with a branch, a clerk and a secretary, and members already in the search phase."""

    world: World
    clerk: Actor
    members: list[str]

    @property
    def system(self) -> LedgerSystem:
        return self.world.system


@contextmanager
def fresh_scene(settings: Settings, members: int) -> Iterator[Scene]:
    """Members registered and confirmed lost (失联), ready for search attempts (not timed)."""
    world = make_world(settings)
    try:
        clerk = world.enrol(["BST"], name="工作人员")
        ids = []
        for n in range(members):
            member = world.member(f"党员{n}")
            confirm = {
                "last_contact_date": "2025-06-01",
                "cause": 1,
                "org_category": 7,
                "reference_date": WORK_DAY,
            }
            world.append(member, "LostContactConfirmed", confirm, world.secretary)
            ids.append(member)
        yield Scene(world, clerk, ids)
    finally:
        world.system.close()


def signed_statements(scene: Scene, count: int) -> list[tuple[dict[str, Any], str]]:
    """``count`` search attempts spread over the members, signed by the clerk (client-side work)."""
    world, clerk = scene.world, scene.clerk
    heads = {m: world.head(m) for m in scene.members}
    searchers = [clerk.id, world.secretary.id]
    out = []
    for i in range(count):
        member = scene.members[i % len(scene.members)]
        seq, prev = heads[member]
        statement = new_statement(
            ledger=world.origin,
            stream=member,
            seq=seq + 1,
            prev=prev,
            type="SearchAttemptRecorded",
            occurred_at=WORK_DAY,
            actor=clerk.id,
            private_key=clerk.key,
            body=payload(i // len(scene.members) + 1, searchers),
        )
        digest, signature = sign_statement(statement, clerk.key)
        heads[member] = (seq + 1, digest)
        out.append((statement, signature))
    return out


class KernelOnlyGate(DomainGate):
    """A gate that skips the domain guards, to measure the kernel's own cost (benchmarks only)."""

    def judge(
        self,
        state: Any,
        statement: Any,
        digest: str,
        recorded_at: str,
        moment: Any,
        registry: Any,
        *,
        genesis: bool,
    ) -> Judgement:
        changed = self.is_registry_statement(statement["type"])
        return Judgement(state, registry.apply(statement) if changed else registry, changed)


def bench_append(settings: Settings, count: int, tick: Tick, *, guards: bool) -> tuple[Figure, Figure]:
    """Signed appends per second (one per transaction) vs raw eventsourcing saves of the same payloads.

    With ``guards`` the full path runs (kernel checks and the 49 domain guards); without, the kernel's
    checks only (envelope, canonical form, key, signature, head, body schema, in-transaction re-checks).
    The raw rate is measured in two halves, before and after ours, and averaged, so that drift in the
    machine's load during the run weighs on both sides alike.
    """
    with fresh_scene(settings, members=max(1, count // 20)) as scene:
        system = scene.system
        if not guards:
            system.ledger.gate = KernelOnlyGate(system.ledger.gate.settings)
        items = signed_statements(scene, count)
        raw_app = LedgerApplication(env={**settings.persistence_env()})
        try:
            events = [
                StatementRecorded(
                    originator_id=uuid.uuid4(),
                    originator_version=1,
                    timestamp=datetime.now(UTC),
                    statement=canonical(statement).decode(),
                    hash="0" * 64,
                    signature=signature,
                    recorded_at="2026-03-14T00:00:00.000000Z",
                )
                for statement, signature in items
            ]
            half = count // 2
            raw_first = _timed_rate(events[:half], raw_app.save, tick)
            ours = _timed_rate(items, lambda item: system.ledger.append(*item), tick)
            raw_second = _timed_rate(events[half:], raw_app.save, tick)
        finally:
            raw_app.close()
    raw = (raw_first + raw_second) / 2
    name = (
        "append, full path (kernel + domain guards)"
        if guards
        else "append, kernel (signed, 1 per transaction)"
    )
    return (
        Figure(name, ours, "statements/s", raw, "ratio ≥ 0.7" if not guards else ""),
        Figure("  raw eventsourcing save, 1 per save", raw, "events/s"),
    )


def _timed_rate(work: list[Any], do: Callable[[Any], object], tick: Tick) -> float:
    started = time.perf_counter()
    for n, item in enumerate(work, 1):
        do(item)
        if n % 100 == 0:
            tick(100)
    return len(work) / (time.perf_counter() - started)


def _raw_verify_chunk(jobs: list[SignatureJob]) -> int:
    return len(failing_signatures(jobs))


def _raw_verify_rate(jobs: list[SignatureJob], workers: int) -> float:
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_raw_verify_chunk, [jobs[:workers]] * workers))  # warm the workers
        started = time.perf_counter()
        failed = sum(pool.map(_raw_verify_chunk, [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]))
        rate = len(jobs) / (time.perf_counter() - started)
    if failed:
        raise RuntimeError("the raw verify loop found bad signatures")
    return rate


def bench_verify(settings: Settings, count: int, tick: Tick) -> tuple[Figure, Figure]:
    """Whole-ledger verification rate vs a raw Ed25519 verify loop on all cores (before and after)."""
    with fresh_scene(settings, members=max(1, count // 50)) as scene:
        system, clerk = scene.system, scene.clerk
        items = signed_statements(scene, count)
        batch = 500
        for start in range(0, count, batch):
            system.ledger.append_many(items[start : start + batch])
            tick(batch // 2)
        system.bring_log_up_to_date()
        public = keys.public_key_bytes(clerk.key.public_key())
        jobs = [(i, public, statement_hash(s), sig) for i, (s, sig) in enumerate(items)]
        workers = os.cpu_count() or 1
        raw_before = _raw_verify_rate(jobs, workers)
        started = time.perf_counter()
        report = verify_ledger(system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key)
        ours = report.statements / (time.perf_counter() - started)
        if not report.ok:
            raise RuntimeError(f"benchmark ledger does not verify: {report.failures[:3]}")
        raw = (raw_before + _raw_verify_rate(jobs, workers)) / 2
        tick(count // 2)
    return (
        Figure("verify whole ledger", ours, "statements/s", raw, "ratio ≥ 0.75"),
        Figure(f"  raw Ed25519 verify on {workers} cores", raw, "signatures/s"),
    )


def build_synthetic_log(log: LogStore, size: int, tick: Tick, batch: int = 20_000) -> None:
    """Fill the log tables with ``size`` synthetic leaves (nodes included), as the runner stores them."""
    done = log.size()
    while done < size:
        count = min(batch, size - done)
        leaves = [merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(done, done + count)]
        with log.transaction(commit=True) as cursor:
            log.claim_writer(cursor)
            nodes = merkle.append_leaves(done, leaves, log.fetcher(cursor))
            rows = [
                LeafRow(
                    done + i, -(done + i) - 1, "bench", done + i, digest.hex(), "2026-03-14T00:00:00.000000Z"
                )
                for i, digest in enumerate(leaves)
            ]
            _insert_without_tracking(log, cursor, rows, nodes)
        done += count
        tick(count)


def _insert_without_tracking(
    log: LogStore, cursor: Any, rows: list[LeafRow], nodes: list[tuple[int, int, bytes]]
) -> None:
    cursor.executemany(
        log.sql(
            "INSERT INTO {t}ledger_leaves (position, notification_id, stream_id, seq, statement_hash, recorded_at)"
            " VALUES (?,?,?,?,?,?)"
        ),
        [(r.position, r.notification_id, r.stream_id, r.seq, r.statement_hash, r.recorded_at) for r in rows],
    )
    cursor.executemany(
        log.sql("INSERT INTO {t}ledger_nodes (node, hash) VALUES (?,?)"),
        [(node_key(lv, i), h) for lv, i, h in nodes],
    )


def bench_proofs(settings: Settings, sizes: list[int], tick: Tick, samples: int = 300) -> list[Figure]:
    """Median inclusion and consistency proof time read from the database at each size."""
    app = LedgerApplication(env=settings.persistence_env())
    figures = []
    try:
        log = LogStore(app)
        rng = random.Random(7)
        for size in sizes:
            build_synthetic_log(log, size, tick)
            root = log.root(size)
            inclusion, consistency = [], []
            for _ in range(samples):
                index = rng.randrange(size)
                started = time.perf_counter()
                proof = log.inclusion_proof(index, size)
                inclusion.append(time.perf_counter() - started)
                assert merkle.verify_inclusion(
                    index, size, merkle.leaf_hash(index.to_bytes(8, "big")), proof, root
                )
                first = rng.randrange(1, size)
                started = time.perf_counter()
                log.consistency_proof(first, size)
                consistency.append(time.perf_counter() - started)
            figures.append(
                Figure(
                    f"inclusion proof at {size:,} leaves",
                    statistics.median(inclusion) * 1e3,
                    "ms (median)",
                    target="< 1 ms at 10⁶",
                )
            )
            figures.append(
                Figure(
                    f"consistency proof at {size:,} leaves",
                    statistics.median(consistency) * 1e3,
                    "ms (median)",
                    target="< 1 ms at 10⁶",
                )
            )
    finally:
        app.close()
    return figures


def settings_for(backend: str, workdir: Path, name: str, pg_url: str) -> Settings:
    """Throwaway settings for one benchmark on one backend (a fresh file or schema)."""
    home = workdir / f"{backend}-{name}"
    if backend == "sqlite":
        return Settings(
            database_url=f"sqlite:///{home}/ledger.sqlite", home=home, origin="bench.example.org/ledger"
        )
    import psycopg

    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return Settings(database_url=f"{pg_url}?schema={schema}", home=home, origin="bench.example.org/ledger")
