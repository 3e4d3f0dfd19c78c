"""Ed25519 signature checks in bulk, spread over the machine's cores.

Worker processes check chunks of signatures while the main process reads, hashes and chains the next
statements. (Threads would share the GIL with that busy main loop and wait on it between checks.)
"""

from __future__ import annotations

import base64
import binascii
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.keys import STATEMENT_CONTEXT

SignatureJob = tuple[int, bytes, bytes, str]
"""(reference, raw public key, statement hash, signature base64)"""

IN_FLIGHT_PER_WORKER = 4
"""Chunks queued per worker before ``add`` waits for the oldest: when the workers fall behind the reader,
the queue (every job's key, hash and signature) would otherwise grow with the ledger."""


def failing_signatures(jobs: Sequence[SignatureJob]) -> list[int]:
    """The references of the jobs whose signature does not verify."""
    failed: list[int] = []
    keys: dict[bytes, Ed25519PublicKey] = {}
    for reference, raw_key, digest, signature in jobs:
        key = keys.get(raw_key)
        if key is None:
            key = keys[raw_key] = Ed25519PublicKey.from_public_bytes(raw_key)
        try:
            key.verify(base64.b64decode(signature, validate=True), STATEMENT_CONTEXT + digest)
        except (InvalidSignature, binascii.Error, ValueError):
            failed.append(reference)
    return failed


class SignatureChecker:
    """Collects signature jobs and checks them on worker threads, a chunk at a time."""

    def __init__(self, workers: int | None = None, chunk: int = 1024) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.chunk = chunk
        self._jobs: list[SignatureJob] = []
        self._futures: deque[Future[list[int]]] = deque()
        self._failed: list[int] = []
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            # One worker: a thread is enough and starts at once; more: processes, free of the GIL.
            self._pool = (
                ThreadPoolExecutor(max_workers=1)
                if self.workers == 1
                else ProcessPoolExecutor(max_workers=self.workers)
            )
        return self._pool

    def add(self, job: SignatureJob) -> None:
        """Queue one signature; a full chunk goes to the workers at once."""
        self._jobs.append(job)
        if len(self._jobs) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        jobs, self._jobs = self._jobs, []
        if jobs:
            self._futures.append(self._executor().submit(failing_signatures, jobs))
        while len(self._futures) > self.workers * IN_FLIGHT_PER_WORKER:
            self._failed.extend(self._futures.popleft().result())

    @property
    def in_flight(self) -> int:
        """Chunks handed to the workers and not yet collected (at most workers × IN_FLIGHT_PER_WORKER)."""
        return len(self._futures)

    def finish(self) -> list[int]:
        """Wait for every queued check; the references that failed, in order."""
        self._flush()
        failed = [*self._failed, *(reference for future in self._futures for reference in future.result())]
        self._futures.clear()
        self._failed = []
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return sorted(failed)
