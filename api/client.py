"""Python client SDK: holds an actor's key, builds and signs statements, submits them, checks proofs.

The private key never leaves the client: statements are built on the stream head the server reports,
canonicalised and signed here (DESIGN.md "The one stored thing"). A ``stale-head`` refusal (someone else
extended the stream first) is answered by rebuilding on the new head, a bounded number of times.

Example::

    with LedgerClient("http://127.0.0.1:8000", actor_id, "clerk.pem") as ledger:
        receipt = ledger.append(member_id, "SearchAttemptRecorded", body, "2026-03-14")
        ledger.verify_inclusion(receipt.hash)
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from api.auth import sign_challenge
from api.client_reads import ReadMethods
from ledger import keys, merkle, note
from ledger.logrunner import leaf_hash_of
from ledger.statement import new_statement, sign_statement
from ledger.timefmt import parse_recorded_at

SignedItem = tuple[dict[str, Any], str]
RETRIED_STATUSES = frozenset({502, 503, 504})
LASTING_UNAVAILABLE = frozenset({"pdf-unavailable"})
"""503 problems that waiting does not cure (a missing renderer): refused at once, not retried."""
TOKEN_PATH = "/auth/token"
BATCH_PATH = "/statements/batch"
STALE = frozenset({"stale-head", "already-recorded"})
"""Refusals an append answers by rebuilding on the head: an identical statement recorded already (sent by
another client of the same actor) is not this append's, which is meant as a new one."""
OUTAGE_FIRST_DELAY = 0.1
OUTAGE_MAX_DELAY = 2.0


class LedgerApiError(Exception):
    """The server refused a request; ``type`` is the problem's stable code (e.g. ``stale-head``)."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        self.status = status
        self.problem = dict(problem)
        self.type = str(problem.get("type", "http-error"))
        self.detail = str(problem.get("detail", ""))
        super().__init__(f"{self.type} ({status}): {self.detail}")


class VerificationFailed(Exception):
    """A checkpoint or proof the server sent does not verify."""


@dataclass(frozen=True)
class Receipt:
    """The server's answer for an accepted statement."""

    hash: str
    stream: str
    seq: int
    recorded_at: str
    order: int


@dataclass(frozen=True)
class Inclusion:
    """A statement proved to be in the log under a verified checkpoint."""

    position: int
    tree_size: int
    recorded_at: str


class LedgerClient(ReadMethods):
    """A signed-in actor's connection to a ledger service (typed reads: ``api.client_reads``)."""

    outage_budget: float = 30.0
    """Seconds to keep retrying through a database restart or a dropped connection (see ``_call``)."""

    def __init__(
        self,
        base_url: str,
        actor: str,
        key_path: str | Path,
        passphrase: str | None = None,
        *,
        verifier_key: str | None = None,
        max_retries: int = 3,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        """``verifier_key`` pins the ledger's key (else it is fetched once from the server: trust on first use)."""
        self.actor = actor
        self._key = keys.load_private_key(key_path, passphrase)
        self.key_id = keys.key_id(self._key.public_key())
        self.max_retries = max_retries
        self._http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self._verifier = note.VerifierKey.parse(verifier_key) if verifier_key else None
        self._origin: str | None = None
        self._token: str | None = None
        self._token_expires = datetime.min.replace(tzinfo=UTC)

    def __enter__(self) -> LedgerClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    # -- plumbing ----------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, auth: bool = False, **kw: Any) -> httpx.Response:
        """Send one request; renew an expired token once; ride out a database or network outage.

        A 502/503/504 answer or a broken connection is retried with exponential backoff (honouring
        ``Retry-After``) for up to ``outage_budget`` seconds. Repeating is safe for every request here:
        a write that had in fact been committed is refused as ``already-recorded`` with its first
        receipts, which are then the answer; an answer to a sign-in challenge (single use) is never
        repeated: the whole sign-in is redone instead.
        """
        deadline = time.monotonic() + self.outage_budget
        delay, renewed, repeated = OUTAGE_FIRST_DELAY, False, False
        while True:
            try:
                headers = {"Authorization": f"Bearer {self._bearer()}"} if auth else {}
                response = self._http.request(method, path, headers=headers, **kw)
            except (httpx.TransportError, LedgerApiError) as failure:
                refused = isinstance(failure, LedgerApiError) and failure.status not in RETRIED_STATUSES
                if refused or path == TOKEN_PATH or time.monotonic() + delay > deadline:
                    raise
            else:
                if response.is_success:
                    return response
                problem = _problem(response)
                if auth and not renewed and problem.get("type") == "expired-token":
                    self._token, renewed = None, True
                    continue
                if repeated and problem.get("type") == "already-recorded":  # our own earlier commit
                    receipts = problem["receipts"]
                    first = {"receipts": receipts} if path == BATCH_PATH else receipts[0]
                    return httpx.Response(201, json=first, request=response.request)
                error = LedgerApiError(response.status_code, problem)
                unanswered = (
                    response.status_code in RETRIED_STATUSES
                    and problem.get("type") not in LASTING_UNAVAILABLE
                    and path != TOKEN_PATH
                )
                if not unanswered or time.monotonic() + delay > deadline:
                    raise error
                delay = max(delay, min(_retry_after(response), OUTAGE_MAX_DELAY))
            time.sleep(delay)
            delay, repeated = min(delay * 2, OUTAGE_MAX_DELAY), True

    def _bearer(self) -> str:
        if self._token is None or self._token_expires - timedelta(seconds=30) <= datetime.now(UTC):
            self.sign_in()
        assert self._token is not None
        return self._token

    @property
    def origin(self) -> str:
        """The ledger's origin (its name in statements and checkpoints)."""
        if self._origin is None:
            self._origin = str(self._call("GET", "/ready").json()["origin"])
        return self._origin

    # -- sign-in and reads -------------------------------------------------------------------------

    def sign_in(self) -> str:
        """Answer a fresh challenge with the actor's key; keep and return the bearer token."""
        who = {"actor": self.actor, "key": self.key_id}
        challenge = self._call("POST", "/auth/challenge", json=who).json()
        if challenge["origin"] != self.origin:
            raise VerificationFailed(f"challenge for {challenge['origin']!r}, expected {self.origin!r}")
        signature = sign_challenge(self._key, self.origin, challenge["nonce"])
        answer = self._call(
            "POST", "/auth/token", json={**who, "nonce": challenge["nonce"], "signature": signature}
        ).json()
        self._token = str(answer["access_token"])
        self._token_expires = parse_recorded_at(answer["expires_at"])
        return self._token

    def head(self, stream: str) -> tuple[int, str]:
        """The stream's head ``(seq, hash)``; ``(0, 64 zeros)`` for a stream not yet begun."""
        head = self._call("GET", f"/streams/{stream}/head", auth=True).json()
        return int(head["seq"]), str(head["hash"])

    # -- writing -----------------------------------------------------------------------------------

    def sign(
        self,
        stream: str,
        type: str,
        body: Mapping[str, Any] | BaseModel,
        occurred_at: str | date,
        *,
        seq: int,
        prev: str,
    ) -> SignedItem:
        """A statement extending ``(seq - 1, prev)``, signed with the actor's key."""
        statement = new_statement(
            ledger=self.origin,
            stream=stream,
            seq=seq,
            prev=prev,
            type=type,
            occurred_at=occurred_at.isoformat() if isinstance(occurred_at, date) else occurred_at,
            actor=self.actor,
            private_key=self._key,
            body=_plain(body),
        )
        return statement, sign_statement(statement, self._key)[1]

    def submit(self, statement: Mapping[str, Any], signature: str) -> Receipt:
        """Send one signed statement as it is (no rebuilding)."""
        path = f"/streams/{statement['stream']}/statements"
        payload = {"statement": dict(statement), "signature": signature}
        return Receipt(**self._call("POST", path, json=payload).json())

    def submit_batch(self, items: Sequence[SignedItem]) -> list[Receipt]:
        """Send signed statements in one transaction: all are recorded, or none."""
        payload = {"items": [{"statement": s, "signature": sig} for s, sig in items]}
        receipts = self._call("POST", "/statements/batch", json=payload).json()["receipts"]
        return [Receipt(**receipt) for receipt in receipts]

    def append(
        self, stream: str, type: str, body: Mapping[str, Any] | BaseModel, occurred_at: str | date
    ) -> Receipt:
        """Build on the stream's head, sign, submit; rebuild and retry on ``stale-head``.

        A submission repeated after a lost answer is never rebuilt (see ``_call``): nothing is doubled.
        """
        seq, prev = self.head(stream)
        for attempt in range(self.max_retries + 1):
            statement, signature = self.sign(stream, type, body, occurred_at, seq=seq + 1, prev=prev)
            try:
                return self.submit(statement, signature)
            except LedgerApiError as refusal:
                head = refusal.problem.get("head")
                if refusal.type not in STALE or attempt == self.max_retries:
                    raise
                seq, prev = (int(head["seq"]), str(head["hash"])) if head else self.head(stream)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- verification ------------------------------------------------------------------------------

    def verifier(self) -> note.VerifierKey:
        """The ledger's verifier key: the pinned one, else the server's (fetched once)."""
        if self._verifier is None:
            self._verifier = note.VerifierKey.parse(self._call("GET", "/ledger/verifier-key").text.strip())
        return self._verifier

    def checkpoint(self) -> note.Checkpoint:
        """The latest checkpoint, its signature verified with the ledger's verifier key."""
        text = self._call("GET", "/ledger/checkpoint").text
        try:
            return note.parse_checkpoint(text, self.verifier())
        except note.NoteError as error:
            raise VerificationFailed(f"the checkpoint does not verify: {error}") from None

    def verify_inclusion(self, statement_hash: str, *, wait: float = 10.0) -> Inclusion:
        """Prove that a statement is a leaf of the log under a verified checkpoint.

        Waits up to ``wait`` seconds for the log to include a statement just written. The leaf hash is
        recomputed here from the statement hash, position and ``recorded_at``; nothing is taken on trust.
        """
        deadline = time.monotonic() + wait
        while True:
            checkpoint = self.checkpoint()
            try:
                proof = self._call(
                    "GET",
                    "/ledger/proof/inclusion",
                    params={"hash": statement_hash, "tree_size": checkpoint.size},
                ).json()
                break
            except LedgerApiError as refusal:
                if refusal.type != "not-found" or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
        index = int(proof["index"])
        leaves = self._call("GET", "/ledger/leaves", params={"start": index, "end": index + 1}).json()[
            "leaves"
        ]
        if not leaves or leaves[0]["hash"] != statement_hash:
            raise VerificationFailed(f"leaf {index} is not statement {statement_hash}")
        leaf = leaf_hash_of(statement_hash, index, leaves[0]["recorded_at"])
        path = [bytes.fromhex(node) for node in proof["proof"]]
        if not merkle.verify_inclusion(index, checkpoint.size, leaf, path, checkpoint.root):
            raise VerificationFailed(f"the inclusion proof of {statement_hash} does not verify")
        return Inclusion(position=index, tree_size=checkpoint.size, recorded_at=leaves[0]["recorded_at"])

    def verify_consistency(self, trusted: note.Checkpoint) -> note.Checkpoint:
        """Prove that the latest checkpoint extends ``trusted``: the log was only appended to since.

        Returns the latest checkpoint once proved, for a monitor to keep as its next ``trusted`` one.
        """
        latest = self.checkpoint()
        if latest.origin != trusted.origin:
            raise VerificationFailed(f"the checkpoint is of {latest.origin!r}, not {trusted.origin!r}")
        if latest.size < trusted.size:
            raise VerificationFailed(f"the log shrank from {trusted.size} to {latest.size} leaves")
        if trusted.size == 0 or (latest.size == trusted.size and latest.root == trusted.root):
            return latest
        proof = self.consistency_proof(trusted.size, latest.size)
        path = [bytes.fromhex(node) for node in proof.proof]
        if not merkle.verify_consistency(trusted.size, latest.size, trusted.root, latest.root, path):
            raise VerificationFailed(f"the log of {latest.size} leaves does not extend the trusted one")
        return latest


def _plain(body: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", exclude_none=True)
    return dict(body)


def _retry_after(response: httpx.Response) -> float:
    """The server's ``Retry-After`` in seconds (0 when absent or given as a date)."""
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else 0.0


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"type": "http-error", "status": response.status_code, "detail": response.text[:200]}
