"""`ledger demo`: fill an empty ledger with a realistic synthetic world (see `api/demo/`).

Mounted on the main CLI with ``app.add_typer(demo_commands)``. Refuses, with one line, a ledger that holds
more than its genesis; initialises the ledger first when `LEDGER_HOME` has none.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from api.cli_support import CommandFailed, console, one_line_errors, progress_bar
from api.demo.links import make_links
from api.demo.run import DemoRefused, ensure_empty, run_demo
from ledger.settings import Settings

commands = typer.Typer()


@commands.command()
@one_line_errors
def demo(
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same statements")] = 1,
    members: Annotated[int, typer.Option(min=30, max=5000, help="how many members to register")] = 300,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing (exit 0) when the ledger already holds data")
    ] = False,
) -> None:
    """Fill an empty ledger with a synthetic county: units, actors with keys, members and their cases.

    Example: ledger demo --seed 7 --members 300
    """
    settings = Settings()
    try:
        try:
            ensure_empty(settings)
        except DemoRefused:
            if if_empty:
                console.print("the ledger already holds data: no demo written")
                return
            raise
        with progress_bar("demo") as bar:
            task = bar.add_task("演示数据", total=None)
            report = run_demo(
                settings,
                seed=seed,
                members=members,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except DemoRefused as refused:
        raise CommandFailed(str(refused)) from None
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("members", str(report.members))
    table.add_row("statements", str(report.statements))
    table.add_row("cases", ", ".join(f"{name} {count}" for name, count in report.stories.items()))
    table.add_row("demo keys", report.keystore)
    console.print("[bold green]demo ledger written[/]")
    console.print(table)


@commands.command("demo-links")
@one_line_errors
def demo_links(
    base_url: Annotated[str, typer.Option(help="where the service answers")] = "http://127.0.0.1:8000",
) -> None:
    """Print one-time sign-in links, one per demo role (valid 24 hours, each usable once).

    Prints nothing when the ledger has no demo keystore. Example: ledger demo-links
    """
    links = make_links(Settings().home)
    if not links:
        return
    table = Table(title="演示登录链接 one-time demo sign-in links (24 h, single use)")
    table.add_column("角色 role", no_wrap=True)
    table.add_column("姓名", no_wrap=True)
    table.add_column("link", overflow="fold")
    for link in links:
        table.add_row(f"{link.role} {link.role_label}", link.name, base_url.rstrip("/") + link.path)
    console.print(table)
