"""A province-scale ledger generator: the demo's city, replicated under a province department.

Each replica is the demo world of ``api/demo`` (a city department, a county, four grassroots committees,
eleven branches, their actors and keys) built from its own seed, with its city department registered
under one province department (省委组织部), its unit names numbered, and up to ``MEMBERS_PER_CITY``
members walking the demo's stories (about 30 % with a case, the others registered and paying dues).
Everything is signed by its own actor and goes through the ledger's checks (``Ledger.append_days``: the
checks of ``append_many`` for each recording day, as of that day, as ``ledger demo`` does by setting the
clock), in recording-day order.

Speed (measured in ``bench/results/scale.md``): a city is built and signed in a worker process while the
main process appends the previous one; consecutive days share a transaction (up to ``CHUNK`` statements),
and the ledger checks the signatures ahead on the other cores (``Ledger.preverify``). Deterministic: the
same seed and targets give the same statements (signatures included) in the same order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from multiprocessing import get_context
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.demo.case import Case, DemoActor, Pending
from api.demo.run import GENESIS_DAY, DemoBuilder, DemoRefused, at
from api.demo.world import LIVE_FROM
from ledger import keys
from ledger.errors import LedgerError
from ledger.keys import sign_statement_hash
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, new_statement, sign_statement, statement_hash
from ledger.system import ADMIN_ID_FILE, ADMIN_KEY_FILE, LedgerSystem, init_ledger, open_ledger

MEMBERS_PER_CITY = 2000
STATEMENTS_PER_MEMBER = 6.5
"""A first estimate (registry statements included) to size the replicas; the measured one replaces it."""
CHUNK = 500
"""At most this many statements per transaction: whole days, unless one day alone is larger."""
PROVINCE_NAME = "演示省委组织部"

Tick = Callable[[int], None]


class CityBuilder(DemoBuilder):
    """The demo builder, with its root department placed under the province and its units numbered.

    Member statements are hashed as the stories write them and signed once the city is built: the demo
    walks each story once more on a probe to find its allowed date shifts, and the probe's statements
    need no signatures. The signatures are the same (Ed25519 is deterministic). ``hashes`` maps each
    signature to its statement's hash, for the ledger's checks ahead (``Ledger.preverify``).
    """

    def __init__(self, origin: str, admin: DemoActor, seed: int, province: str, number: int) -> None:
        super().__init__(origin, admin, seed)
        self.province, self.number = province, number
        self.hashes: dict[str, bytes] = {}
        self._unsigned: dict[int, tuple[dict[str, Any], bytes, Ed25519PrivateKey]] = {}

    def _admin_append(self, stream: str, kind: str, body: dict[str, Any]) -> None:
        if kind == "UnitRegistered":
            body = {**body, "name": f"{body['name']}（{self.number:03d}）"}
            if "parent" not in body:
                body["parent"] = self.province
        super()._admin_append(stream, kind, body)
        self.hashes[self.registry[-1].signature] = bytes.fromhex(self._heads[stream])

    def case(self, branch: str) -> Case:
        """A fresh member case whose statements are hashed now and signed by ``build_members``."""
        c = super().case(branch)
        c.sign = self._hash_only
        return c

    def _hash_only(self, statement: dict[str, Any], key: Ed25519PrivateKey) -> tuple[str, str]:
        digest = statement_hash(statement)
        self._unsigned[id(statement)] = (statement, digest, key)  # the statement is kept: ids stay unique
        return digest.hex(), ""

    def build_members(self, members: int) -> None:
        """The demo's members, then a signature for each statement kept (probes' statements are dropped)."""
        super().build_members(members)
        signed = []
        for p in self.cases:
            _, digest, key = self._unsigned[id(p.statement)]
            signature = sign_statement_hash(key, digest)
            self.hashes[signature] = digest
            signed.append(Pending(p.recorded, p.statement, signature))
        self.cases = signed
        self._unsigned.clear()


@dataclass(frozen=True)
class CityPlan:
    """One replica to build: its number, its seed and how many members it gets."""

    origin: str
    admin_id: str
    admin_key: bytes
    """The root administrator's raw private key (keys do not pickle; the builder runs in a worker)."""
    province: str
    number: int
    seed: int
    members: int

    def admin(self) -> DemoActor:
        """The root administrator as the demo builder wants it."""
        return DemoActor(
            self.admin_id, "根管理员", "", ("ADM",), Ed25519PrivateKey.from_private_bytes(self.admin_key)
        )

    def builder(self) -> CityBuilder:
        """A fresh builder for this city (nothing drawn from its seed yet beyond the unit ids)."""
        return CityBuilder(self.origin, self.admin(), self.seed, self.province, self.number)


@dataclass
class CityBuild:
    """What a worker built for one city: signed statements, and the ids the benchmarks sample."""

    registry: list[Pending]
    cases: list[Pending]
    members: int
    member_streams: list[str]
    branches: list[str]
    hashes: dict[str, bytes]
    """Each signature's statement hash, as computed when signing."""


def province_id(plan: CityPlan) -> str:
    """The province department's id: the first uuid the first city's builder draws after its units."""
    return plan.builder().people.uuid()


def build_city(plan: CityPlan, register_province: bool) -> CityBuild:
    """Build and sign one city (run in a worker process); the first city also registers the province."""
    builder = plan.builder()
    first: list[Pending] = []
    if register_province:
        admin = builder.admin
        root = builder.people.uuid()
        assert root == plan.province, "the province id is drawn first"
        body = {
            "name": PROVINCE_NAME,
            "kind": "org_department",
            "live_from": LIVE_FROM,
            "admin_level": "province",
        }
        statement = new_statement(ledger=plan.origin, stream=root, seq=1, prev=GENESIS_PREV,
                                  type="UnitRegistered", occurred_at=LIVE_FROM, actor=admin.id,
                                  private_key=admin.key, body=body)  # fmt: skip
        digest, signature = sign_statement(statement, admin.key)
        first.append(Pending(LIVE_FROM, statement, signature))
        builder.hashes[signature] = bytes.fromhex(digest)
    builder.build_world()
    builder.build_members(plan.members)
    return CityBuild(
        registry=first + builder.registry,
        cases=builder.cases,
        members=builder.report.members,
        member_streams=sorted({p.statement["stream"] for p in builder.cases}),
        branches=[builder.units[b] for b in ("U1", "E1", "S1", "V1")],
        hashes=builder.hashes,
    )


@dataclass
class GrowthStep:
    """One call of `Province.grow`: what it wrote and how long generation and appends took."""

    statements: int = 0
    members: int = 0
    cities: int = 0
    build_seconds: float = 0.0
    """Time the appender waited for cities being built (the rest of the building overlaps the appends)."""
    append_seconds: float = 0.0

    @property
    def generator_rate(self) -> float:
        """Statements per second of the whole step, building and signing included."""
        return self.statements / max(self.build_seconds + self.append_seconds, 1e-9)

    @property
    def append_rate(self) -> float:
        """Statements per second through ``append_many`` (bulk; one day of a round per transaction)."""
        return self.statements / max(self.append_seconds, 1e-9)


def transactions(items: list[Pending]) -> Iterator[list[tuple[str, list[Pending]]]]:
    """The items (in recording-day order) packed into transactions of whole days, up to ``CHUNK``
    statements each (a day larger than that alone is split)."""
    pack: list[tuple[str, list[Pending]]] = []
    size = 0
    for day, group in groupby(items, key=lambda p: p.recorded):
        batch = list(group)
        for start in range(0, len(batch), CHUNK):
            part = batch[start : start + CHUNK]
            if size + len(part) > CHUNK and pack:
                yield pack
                pack, size = [], 0
            pack.append((day, part))
            size += len(part)
    if pack:
        yield pack


def append_days(
    system: LedgerSystem, items: list[Pending], hashes: dict[str, bytes], tick: Tick | None = None
) -> int:
    """Append through ``Ledger.append_days``, each day's statements recorded as of that day; how many.

    Signatures whose keys the ledger knows already are checked ahead, in its worker processes (with the
    hashes computed when signing: the ledger compares them with its own when it appends).
    """
    ledger = system.ledger
    ordered = sorted(items, key=lambda p: p.recorded)
    ledger.preverify(
        [(p.statement, p.signature) for p in ordered], [hashes.get(p.signature) for p in ordered]
    )
    done = 0
    for pack in transactions(ordered):
        try:
            ledger.append_days([(at(day), [(p.statement, p.signature) for p in part]) for day, part in pack])
        except LedgerError as error:
            index = error.details.get("index", 0) if isinstance(error.details, dict) else 0
            bad = [p for _, part in pack for p in part][int(index)].statement
            raise DemoRefused(
                f"the ledger refused {bad['type']} on {bad['occurred_at']} ({bad['stream']}): {error}"
            ) from error
        count = sum(len(part) for _, part in pack)
        done += count
        if tick is not None:
            tick(count)
    return done


@dataclass
class Province:
    """An initialised ledger that grows city by city; keeps the member ids (for sampling reads)."""

    settings: Settings
    seed: int = 1
    system: LedgerSystem = field(init=False)
    admin: DemoActor = field(init=False)
    root: str = ""
    cities: int = 0
    statements: int = 1
    members: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    _builders: ProcessPoolExecutor | None = field(default=None, init=False, repr=False)
    _member_count: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        init_ledger(self.settings, clock=lambda: at(GENESIS_DAY))
        self.system = open_ledger(self.settings)
        home = self.settings.home
        admin_id = (home / ADMIN_ID_FILE).read_text(encoding="ascii").strip()
        key = keys.load_private_key(home / ADMIN_KEY_FILE, None)
        self.admin = DemoActor(admin_id, "根管理员", "", ("ADM",), key)

    def close(self) -> None:
        """Stop the builder process and close the ledger."""
        if self._builders is not None:
            self._builders.shutdown(wait=True, cancel_futures=True)
            self._builders = None
        self.system.close()

    def _plan(self, number: int, members: int) -> CityPlan:
        return CityPlan(
            origin=self.system.ledger.origin,
            admin_id=self.admin.id,
            admin_key=self.admin.key.private_bytes_raw(),
            province=self.root,
            number=number,
            seed=self.seed * 100_003 + number,
            members=members,
        )

    def _sizes(self, target: int) -> list[int]:
        """Members of each city still needed to reach ``target`` (the last city sized to fit)."""
        per_member = (
            (self.statements - 1) / self._member_count if self._member_count else STATEMENTS_PER_MEMBER
        )
        sizes: list[int] = []
        expected = float(self.statements)
        while expected < target * 0.98:
            members = min(MEMBERS_PER_CITY, max(50, math.ceil((target - expected) / per_member)))
            sizes.append(members)
            expected += members * per_member
        return sizes

    def _submit(self, plan: CityPlan) -> Future[CityBuild]:
        if self._builders is None:
            self._builders = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
        return self._builders.submit(build_city, plan, plan.number == 1)

    def grow(self, target: int, tick: Tick | None = None) -> GrowthStep:
        """Add cities until the ledger holds about ``target`` statements (the last city is sized to fit).

        The next city is built in the worker process while this one is appended.
        """
        step = GrowthStep()
        while sizes := self._sizes(target):
            if not self.root:
                self.root = province_id(self._plan(1, sizes[0]))
            plans = [self._plan(self.cities + 1 + i, members) for i, members in enumerate(sizes)]
            ahead = self._submit(plans[0])
            for number in range(len(plans)):
                started = time.perf_counter()
                city = ahead.result()
                step.build_seconds += time.perf_counter() - started
                if number + 1 < len(plans):
                    ahead = self._submit(plans[number + 1])
                started = time.perf_counter()
                done = append_days(self.system, city.registry, city.hashes)
                done += append_days(self.system, city.cases, city.hashes, tick)
                step.append_seconds += time.perf_counter() - started
                step.statements += done
                step.members += city.members
                step.cities += 1
                self.statements += done
                self.cities += 1
                self._member_count += city.members
                self.members.extend(city.member_streams)
                self.branches.extend(city.branches)
        started = time.perf_counter()
        self.system.bring_log_up_to_date()
        step.append_seconds += time.perf_counter() - started
        return step
