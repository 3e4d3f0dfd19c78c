"""What every ``ledger`` command shares: consoles, one-line errors, the opened ledger, progress bars."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ledger.errors import LedgerError
from ledger.keys import KeyFileError
from ledger.note import NoteError
from ledger.settings import Settings, SettingsError

if TYPE_CHECKING:
    from ledger.system import LedgerSystem

console = Console()
errors = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


class CommandFailed(Exception):
    """A command ends with a one-line reason and a non-zero exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every expected failure into one line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CommandFailed as failure:
            errors.print(f"ledger: {failure}", markup=False, highlight=False)
            raise typer.Exit(failure.status) from None
        except (LedgerError, SettingsError, KeyFileError, NoteError) as failure:
            errors.print(f"ledger: {failure}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        except ValidationError as failure:
            first = failure.errors()[0]
            reason = str(first["msg"]).removeprefix("Value error, ")
            errors.print(f"ledger: {reason}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        except PersistenceError as failure:
            reason = str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__
            errors.print(f"ledger: database error: {reason}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        except OSError as failure:
            errors.print(
                f"ledger: {failure.strerror or failure}: {failure.filename or ''}".rstrip(": "), markup=False
            )
            raise typer.Exit(1) from None

    return wrapper


@contextmanager
def opened() -> Iterator[LedgerSystem]:
    """The ledger named by the environment, closed afterwards."""
    from ledger.system import open_ledger  # the storage stack, only once a command opens the ledger

    system = open_ledger(Settings())
    try:
        yield system
    finally:
        system.close()


def progress_bar(description: str) -> Progress:
    """A rich progress bar for long work."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=False,
    )


def bring_up_to_date(system: LedgerSystem) -> int:
    """Run the log runner with a progress bar when there is much to do."""
    if system.runner is None:
        raise CommandFailed("the ledger key is missing from LEDGER_HOME; run `ledger init`")
    pending = system.runner.pending()
    if pending < 5000:
        return system.runner.catch_up()
    with progress_bar("logging") as bar:
        task = bar.add_task("Merkle log", total=pending)
        return system.runner.catch_up(lambda done, total: bar.update(task, completed=done, total=total))
