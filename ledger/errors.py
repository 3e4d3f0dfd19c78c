"""Named refusals of the kernel.

Each error carries a stable ``code`` that the API turns into an RFC 9457 problem ``type`` and the CLI prints
as a one-line reason, with a message in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class LedgerError(Exception):
    """A refusal or failure the ledger explains to its user; never a crash."""

    code: str = "ledger-error"
    status: int = 400
    title_zh: str = "账本错误"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationFailed(LedgerError):
    """The statement or its body does not match its schema."""

    code = "validation"
    status = 422
    title_zh = "数据校验未通过"


class BadSignature(LedgerError):
    """The signature does not verify over the statement hash with the named key."""

    code = "bad-signature"
    status = 401
    title_zh = "签名无效"


class UnknownKey(LedgerError):
    """The key is not enrolled for the signing actor."""

    code = "unknown-key"
    status = 401
    title_zh = "密钥未登记"


class RevokedKey(LedgerError):
    """The key was revoked; nothing it signs is accepted any more."""

    code = "revoked-key"
    status = 401
    title_zh = "密钥已吊销"


class StaleHead(LedgerError):
    """``seq``/``prev`` do not extend the stream's current head; rebuild on the head and retry."""

    code = "stale-head"
    status = 409
    title_zh = "记录链头已变化"


class AlreadyRecorded(StaleHead):
    """This very signed statement (same hash, same signature) is recorded already; ``receipts`` are the
    first submission's. A client that retried after losing the answer takes them as its answer; one that
    meant a new statement rebuilds on ``head`` as after ``stale-head``."""

    code = "already-recorded"
    status = 409
    title_zh = "该记录已提交"


class StepNotAllowed(LedgerError):
    """A kernel rule refuses this statement (e.g. only an administrator enrols keys)."""

    code = "step-not-allowed"
    status = 403
    title_zh = "当前状态不允许此步骤"


class WrongLedger(LedgerError):
    """The statement names another ledger's origin."""

    code = "wrong-ledger"
    status = 422
    title_zh = "账本标识不符"


class NotInitialised(LedgerError):
    """The ledger has no key or no genesis yet: run ``ledger init``."""

    code = "not-initialised"
    status = 503
    title_zh = "账本尚未初始化"


class NotFound(LedgerError):
    """The stream, statement or position asked for does not exist."""

    code = "not-found"
    status = 404
    title_zh = "未找到"


class GuardRefused(LedgerError):
    """A domain guard refuses the statement; ``code`` is the first failing guard's, all are in ``failures``."""

    status = 403

    def __init__(self, refusals: Sequence[Any]) -> None:
        first = refusals[0]
        detail = f" ({first.detail})" if getattr(first, "detail", "") else ""
        super().__init__(
            f"{first.en}{detail}",
            failures=[r.code for r in refusals],
            message_zh=first.zh,
            guard=first.guard,
        )
        self.code = first.code
        self.title_zh = first.zh
        if first.code == "validation":
            self.status = 422
