"""``ledger keygen``, ``enrol``, ``sign`` and ``submit``: keys and signed statements from the command line.

Private keys stay in the files named on the command line; a passphrase is read from
``LEDGER_KEY_PASSPHRASE`` or asked for when ``--passphrase`` is given. ``enrol`` and ``submit`` write, and
bring the Merkle log up to date before they exit.

Drafts and signed statements are JSON or YAML files: YAML by the extension ``.yaml``/``.yml``, JSON by
``.json``, otherwise JSON when the text starts with ``{`` or ``[``. YAML is read with the YAML 1.2 JSON
schema (``true``/``false``, ``null``, decimal integers and numbers; every other plain scalar is the string
as written, so ``2026-03-14`` stays the date string the JSON file would hold), mapping keys must be unique
strings, and the document then goes through the same JSON checks, so a statement signed from YAML has the
canonical bytes of the same statement signed from JSON.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from api.cli_support import CommandFailed, bring_up_to_date, console, one_line_errors, opened
from ledger import keys
from ledger.canonical import CanonicalError, parse_statement_json
from ledger.enrolment import KEY_ENROLLED
from ledger.settings import Settings
from ledger.statement import is_uuid, new_statement, sign_statement
from ledger.store import Receipt

commands = typer.Typer()

PassphraseFlag = Annotated[
    bool,
    typer.Option("--passphrase", help="the key file is (to be) encrypted: read LEDGER_KEY_PASSPHRASE or ask"),
]


def passphrase_of(wanted: bool, *, confirm: bool = False) -> str | None:
    """The passphrase from the environment, or asked for on the terminal, when ``wanted``."""
    if not wanted:
        return None
    return os.environ.get("LEDGER_KEY_PASSPHRASE") or str(
        typer.prompt("passphrase", hide_input=True, confirmation_prompt=confirm)
    )


def _today() -> str:
    return date.today().isoformat()


def _uuid(value: str, what: str) -> str:
    if not is_uuid(value):
        raise CommandFailed(f"{what} must be a lowercase uuid, not {value!r}")
    return value


def _receipts(receipts: list[Receipt]) -> None:
    table = Table("stream", "seq", "hash", "recorded_at")
    for receipt in receipts:
        table.add_row(receipt.stream, str(receipt.seq), receipt.hash, receipt.recorded_at)
    console.print(table)


@commands.command()
@one_line_errors
def keygen(
    out: Annotated[Path, typer.Option("--out", help="PEM file to write (never overwritten)")],
    passphrase: PassphraseFlag = False,
) -> None:
    """Make an Ed25519 key for an actor; print its key id and public key (to enrol it).

    Example: ledger keygen --out wufang.pem --passphrase
    """
    key = keys.generate()
    keys.save_private_key(key, out, passphrase_of(passphrase, confirm=True))
    public = key.public_key()
    print(f"key_id {keys.key_id(public)}")
    print(f"public_key {keys.public_key_b64(public)}")


@commands.command()
@one_line_errors
def enrol(
    actor: Annotated[str, typer.Argument(help="the actor whose key is enrolled (uuid)")],
    public_key: Annotated[str, typer.Option("--public-key", help="base64 public key printed by keygen")],
    as_key: Annotated[Path, typer.Option("--as-key", help="the administrator's PEM key file")],
    as_actor: Annotated[str, typer.Option("--as-actor", help="the administrator's actor id")],
    roles: Annotated[
        list[str] | None, typer.Option("--roles", help="roles, repeated or comma-separated")
    ] = None,
    occurred_at: Annotated[str | None, typer.Option(help="date of the enrolment (default today)")] = None,
    passphrase: PassphraseFlag = False,
) -> None:
    """Enrol an actor's key: a KeyEnrolled statement signed by an administrator.

    Example: ledger enrol 3f2c…-… --public-key "$(…)" --roles BST --as-key admin.pem --as-actor 9a1b…-…
    """
    actor, as_actor = _uuid(actor, "ACTOR"), _uuid(as_actor, "--as-actor")
    try:
        verifier = keys.public_key_from_b64(public_key)
    except keys.KeyEncodingError as error:
        raise CommandFailed(f"--public-key: {error}") from None
    admin_key = keys.load_private_key(as_key, passphrase_of(passphrase))
    body: dict[str, Any] = {"actor": actor, "key_id": keys.key_id(verifier), "public_key": public_key}
    if roles:
        body["roles"] = [role.strip() for item in roles for role in item.split(",") if role.strip()]
    with opened() as system:
        state = system.ledger.state(uuid.UUID(actor))
        statement = new_statement(
            ledger=system.ledger.origin,
            stream=actor,
            seq=state.seq + 1,
            prev=state.head,
            type=KEY_ENROLLED,
            occurred_at=occurred_at or _today(),
            actor=as_actor,
            private_key=admin_key,
            body=body,
        )
        receipt = system.ledger.append(statement, sign_statement(statement, admin_key)[1])
        bring_up_to_date(system)
    _receipts([receipt])


@commands.command()
@one_line_errors
def sign(
    file: Annotated[
        Path, typer.Argument(help="JSON or YAML draft: stream, type, occurred_at, body (seq, prev optional)")
    ],
    key: Annotated[Path, typer.Option("--key", help="the signer's PEM key file")],
    actor: Annotated[str, typer.Option("--actor", help="the signer's actor id")],
    passphrase: PassphraseFlag = False,
) -> None:
    """Sign a statement draft and print {"statement", "signature"} as JSON (seq/prev from the ledger if absent).

    The draft is JSON or YAML. Example: ledger sign attempt.yaml --key wufang.pem --actor 3f2c…-… > attempt.signed.json
    """
    draft = _read_draft(file)
    missing = [name for name in ("stream", "type", "occurred_at", "body") if name not in draft]
    if missing:
        raise CommandFailed(f"{file}: the draft lacks {', '.join(missing)}")
    if draft.get("actor", actor) != actor:
        raise CommandFailed(f"{file}: the draft names actor {draft['actor']}, not {actor}")
    private_key = keys.load_private_key(key, passphrase_of(passphrase))
    stream = _uuid(str(draft["stream"]), "stream")
    seq, prev, origin = draft.get("seq"), draft.get("prev"), draft.get("ledger")
    if seq is None or prev is None:
        with opened() as system:
            state = system.ledger.state(uuid.UUID(stream))
            seq, prev, origin = state.seq + 1, state.head, origin or system.ledger.origin
    statement = new_statement(
        ledger=str(origin or Settings().resolved_origin()),
        stream=stream,
        seq=seq,
        prev=prev,
        type=draft["type"],
        occurred_at=draft["occurred_at"],
        actor=_uuid(actor, "--actor"),
        private_key=private_key,
        body=draft["body"],
    )
    print(
        json.dumps(
            {"statement": statement, "signature": sign_statement(statement, private_key)[1]},
            ensure_ascii=False,
        )
    )


@commands.command()
@one_line_errors
def submit(
    file: Annotated[
        Path,
        typer.Argument(
            help='{"statement", "signature"} as JSON or YAML, or a list of them (one transaction)'
        ),
    ],
) -> None:
    """Append signed statements as written in the file (JSON or YAML): all of them, or none.

    Example: ledger submit attempt.signed.json
    """
    data = _json_bytes(file)
    try:
        items = parse_statement_json(b'{"items":' + data + b"}")["items"]
    except CanonicalError as error:
        raise CommandFailed(f"{file}: {str(error).replace('$.items', '$')}") from None
    listed = items if isinstance(items, list) else [items]
    pairs: list[tuple[dict[str, Any], str]] = []
    for index, item in enumerate(listed):
        statement = item.get("statement") if isinstance(item, dict) else None
        signature = item.get("signature") if isinstance(item, dict) else None
        if not isinstance(statement, dict) or not isinstance(signature, str):
            raise CommandFailed(f'{file}: item {index} is not {{"statement": {{…}}, "signature": "…"}}')
        pairs.append((statement, signature))
    if not pairs:
        raise CommandFailed(f"{file}: nothing to submit")
    with opened() as system:
        receipts = system.ledger.append_many(pairs)
        bring_up_to_date(system)
    _receipts(receipts)


class _JsonSchemaLoader(yaml.SafeLoader):
    """PyYAML's safe loader restricted to the YAML 1.2 JSON schema, with unique string keys.

    The YAML 1.1 resolvers PyYAML uses would turn ``2026-03-14`` into a date, ``no`` into False and
    ``010`` into 8; here those stay strings as written, as in the JSON file a user would have written.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are strings, each given once (as JSON objects are read here)."""
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is not a string", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_JsonSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:null|~|)$", ["n", "~", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|false)$", ["t", "f"]),
    ("tag:yaml.org,2002:int", r"^-?(?:0|[1-9][0-9]*)$", list("-0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$",
        list("-0123456789"),
    ),
):
    _JsonSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _is_yaml(file: Path, text: str) -> bool:
    suffix = file.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return True
    return suffix != ".json" and not text.lstrip().startswith(("{", "["))


def _load_yaml(file: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_JsonSchemaLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CommandFailed(f"{file} is not YAML: {error.problem or error.context}{where}") from None
    except yaml.YAMLError as error:
        raise CommandFailed(f"{file} is not YAML: {' '.join(str(error).split())}") from None


def _read_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CommandFailed(f"{file} is not UTF-8 text: {error}") from None
    except OSError as error:
        raise CommandFailed(f"{file}: {error.strerror or error}") from None


def _json_bytes(file: Path) -> bytes:
    """The file as JSON bytes: as written when it is JSON, else its YAML document re-encoded as JSON."""
    text = _read_text(file)
    if not _is_yaml(file, text):
        return text.encode("utf-8")
    return json.dumps(_load_yaml(file, text), ensure_ascii=False).encode("utf-8")


def _read_draft(file: Path) -> dict[str, Any]:
    text = _read_text(file)
    if _is_yaml(file, text):
        data = _load_yaml(file, text)
    else:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise CommandFailed(f"{file} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise CommandFailed(f"{file}: a draft is a JSON or YAML mapping")
    return data
