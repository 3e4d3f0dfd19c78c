"""The ``ledger`` command line: set up a ledger, bring its log up to date, verify, export and check bundles.

Every command prints one line and exits non-zero on error (never a traceback); long work shows a rich
progress bar. A command that writes brings the Merkle log up to date before it exits, so the latest
checkpoint covers everything written while no server runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli_demo import commands as demo_commands
from api.cli_members import commands as member_commands
from api.cli_projections import app as projection_commands
from api.cli_statements import commands as statement_commands
from api.cli_support import (
    CommandFailed,
    bring_up_to_date,
    console,
    errors,
    one_line_errors,
    opened,
    progress_bar,
)
from ledger.settings import Settings

__all__ = ["CommandFailed", "app", "console", "errors", "main", "one_line_errors"]

app = typer.Typer(
    name="ledger",
    help="失联党员查找处置 audit ledger: signed statements, hash chains, Merkle log, checkpoints.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(statement_commands)
app.add_typer(demo_commands)
app.add_typer(member_commands)
app.add_typer(projection_commands)


@app.command()
@one_line_errors
def init(
    origin: Annotated[
        str | None, typer.Option(help="the ledger's origin, e.g. ledger.example.org/dangyuan")
    ] = None,
    admin_name: Annotated[str, typer.Option(help="name of the root administrator")] = "根管理员",
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="do nothing when already initialised")
    ] = False,
) -> None:
    """Create the ledger key, fix the origin and enrol the root administrator (genesis).

    Example: ledger init --origin ledger.example.org/dangyuan
    """
    from ledger.system import init_ledger  # imported here, as every heavy module: `--help` stays quick

    settings = Settings()
    result = init_ledger(settings, origin=origin, admin_name=admin_name)
    if not result.created and not if_missing:
        raise CommandFailed(f"already initialised in {settings.home} (origin {result.origin})")
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("origin", result.origin)
    table.add_row("verifier key", result.verifier_key)
    table.add_row("root administrator", result.admin_actor)
    table.add_row("administrator key", str(result.admin_key_path))
    table.add_row("database", settings.database_url)
    console.print("[bold green]ledger initialised[/]" if result.created else "[bold]ledger ready[/]")
    console.print(table)


@app.command()
@one_line_errors
def checkpoint() -> None:
    """Bring the Merkle log up to date and print the latest checkpoint note.

    Example: ledger checkpoint > checkpoint.txt
    """
    with opened() as system:
        bring_up_to_date(system)
        latest = system.log.latest_checkpoint()
        if latest is None:
            raise CommandFailed("the ledger holds no statement yet; run `ledger init`")
        sys.stdout.write(latest.note)


@app.command()
@one_line_errors
def verify(
    workers: Annotated[
        int | None, typer.Option(help="processes checking signatures (default: all cores)")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    access_log_checkpoint: Annotated[
        Path | None,
        typer.Option("--access-log-checkpoint", help="an access-log checkpoint you kept, to be extended"),
    ] = None,
) -> None:
    """Verify the whole database: signatures, keys, chains, leaves, tree, checkpoints, the access log.

    Exit status 0 only if every check holds. Example: ledger verify --access-log-checkpoint kept.txt
    """
    from eventsourcing.persistence import PersistenceError

    from api import accesslog
    from ledger.verify import verify_ledger
    from ledger.verifyruns import record_run

    kept = access_log_checkpoint.read_bytes() if access_log_checkpoint else None
    with opened() as system:
        verifier = accesslog.ledger_verifier(system)
        held = accesslog.held_checkpoints(verifier, kept)
        total = system.ledger.max_notification_id()
        with progress_bar("verifying") as bar:
            task = bar.add_task("statements", total=total)
            report = verify_ledger(
                system.ledger,
                system.log,
                ledger_public_key=system.ledger.ledger_public_key,
                workers=workers,
                attachments=system.attachments,
                progress=lambda done, all_: bar.update(task, completed=done, total=all_),
            )
        access = accesslog.verify(system.log, verifier, held) if verifier is not None else None
        if access is not None:
            report.failures.extend(accesslog.ledger_failures(access))
        try:
            record_run(system.log, report)
        except PersistenceError as problem:
            errors.print(f"ledger: the run could not be recorded: {problem}", markup=False)
    if json_output:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "statements": report.statements,
                    "leaves": report.leaves,
                    "checkpoints": report.checkpoints,
                    "pending": report.pending,
                    "access_log": access.figures() if access is not None else None,
                    "failures": [failure.__dict__ for failure in report.failures],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        summary = (
            f"{report.statements} statements, {report.leaves} leaves, {report.checkpoints} checkpoints"
            + (f", {report.pending} not yet logged" if report.pending else "")
            + (f", {access.describe()}" if access is not None else "")
        )
        if report.ok:
            console.print(f"[bold green]verified[/]: {summary}")
        else:
            table = Table("check", "where", "what")
            for failure in report.failures[:200]:
                table.add_row(failure.check, failure.where(), failure.message)
            console.print(table)
            more = len(report.failures) - 200
            if more > 0:
                console.print(f"… and {more} more failures")
            console.print(f"[bold red]FAILED[/]: {len(report.failures)} failed checks over {summary}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@one_line_errors
def export(
    stream_id: Annotated[str, typer.Argument(help="the stream (member, unit or actor) to export")],
    out: Annotated[Path, typer.Option("--out", help="bundle file to write")],
) -> None:
    """Write the export bundle of one stream, verifiable offline with the verifier key.

    Example: ledger export 9b2c…-…  --out member.bundle.json
    """
    from ledger.bundle import export_bundle

    with opened() as system:
        bring_up_to_date(system)
        bundle = export_bundle(system, stream_id)
    out.write_text(json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    console.print(f"wrote {out}: {len(bundle['entries'])} entries")


@app.command("verify-bundle")
@one_line_errors
def verify_bundle_command(
    file: Annotated[Path, typer.Argument(help="a bundle written by `ledger export`")],
    key: Annotated[str, typer.Option("--key", help="the ledger's verifier key, or a file holding it")],
) -> None:
    """Check an export bundle offline against the ledger's verifier key.

    Example: ledger verify-bundle member.bundle.json --key "$(cat verifier.key)"
    """
    from ledger.bundle import verify_bundle

    verifier_key = Path(key).read_text(encoding="utf-8").strip() if Path(key).is_file() else key.strip()
    try:
        bundle: Any = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as problem:
        raise CommandFailed(f"{file} is not JSON: {problem}") from None
    report = verify_bundle(bundle, verifier_key)
    if not report.ok:
        raise CommandFailed(f"bundle does not verify: {report.failures[0]}")
    console.print(f"[bold green]bundle verified[/]: {report.entries} entries in a tree of {report.tree_size}")


@app.command()
@one_line_errors
def attach(
    file: Annotated[Path, typer.Argument(help="a scanned paper or other material (附件材料)")],
    media_type: Annotated[str, typer.Option("--media-type", help="its media type")] = "application/pdf",
    title: Annotated[str | None, typer.Option(help="the title to cite (default: the file name)")] = None,
) -> None:
    """Store an attachment by its SHA-256 and print the `doc` object statements cite for it.

    Example: ledger attach 登记表.pdf --title 中国共产党党员基本情况登记表
    """
    content = file.read_bytes()
    with opened() as system:
        stored = system.attachments.put(content, media_type)
    doc = {"sha256": stored.sha256, "media_type": stored.media_type, "title": title or file.name}
    print(json.dumps(doc, ensure_ascii=False))


@app.command("verifier-key")
@one_line_errors
def verifier_key() -> None:
    """Print the ledger's verifier key (C2SP signed-note form) for inspectors.

    Example: ledger verifier-key > verifier.key
    """
    with opened() as system:
        print(system.verifier_key())


@app.command()
@one_line_errors
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Start the HTTP service (uvicorn).

    Example: ledger serve --host 0.0.0.0 --port 8000
    """
    import uvicorn

    from api.app import create_app
    from api.middleware import configure_access_log

    settings = Settings()
    console.print(
        f"serving {settings.resolved_origin()} on http://{host}:{port}  (database {settings.backend})"
    )
    console.print(f"reviewer pages: http://{host}:{port}/ui/   API: http://{host}:{port}/docs")
    print_demo_sign_in(settings)
    configure_access_log()
    # Our access log (one JSON line, no client address, no ids) replaces uvicorn's.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)


@app.command()
@one_line_errors
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="small sizes, for a smoke run")] = False,
    backend: Annotated[str, typer.Option(help="sqlite, postgres or both")] = "both",
) -> None:
    """Run the benchmarks (as `make bench`): figures beside baselines measured in the same run.

    Example: ledger bench --quick --backend sqlite
    """
    if backend not in ("sqlite", "postgres", "both"):
        raise CommandFailed(f"--backend must be sqlite, postgres or both, not {backend!r}")
    try:
        from bench.__main__ import main as run_benchmarks
    except ImportError:
        raise CommandFailed("the benchmarks live in the source tree (bench/): run from a checkout") from None
    sys.argv = ["ledger bench", *(["--quick"] if quick else []), "--backend", backend]
    run_benchmarks()


def print_demo_sign_in(settings: Settings) -> None:
    """When the demo keystore exists, show which key file signs in as which role (one per role)."""
    index = settings.home / "demo-keys" / "index.json"
    if not index.is_file():
        return
    try:
        actors = json.loads(index.read_text(encoding="utf-8"))
    except ValueError:
        return
    table = Table(
        "角色 role", "姓名", "单位", "key file (choose it on the sign-in page)", title="演示登录 demo sign-in"
    )
    seen: set[str] = set()
    for actor in actors:
        for role, label in zip(actor.get("roles", []), actor.get("role_labels", []), strict=False):
            if role not in seen:
                seen.add(role)
                table.add_row(
                    f"{role} {label}",
                    actor.get("name", ""),
                    actor.get("unit_name") or "",
                    actor.get("key", ""),
                )
    console.print(table)


def main() -> None:
    """Console-script entry point."""
    app()
