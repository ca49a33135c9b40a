"""Errors of the world: expected failures a user can act on, as opposed to bugs.

Every layer raises these; the command line turns them into exit code 2 and the window into a plain
message. Anything else reaching the top is a bug: logged, apologised for, exit code 1.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


class WasteWalkError(Exception):
    """An expected failure with a message written for the person using the program."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with some input, and where (file, row and column may each be unknown)."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class InputError(WasteWalkError):
    """Input that cannot be accepted; carries every problem found, so all can be fixed at once."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        """The problems as plain lines, at most `limit` of them, then a count of the rest."""
        lines = [str(p) for p in self.problems[:limit]]
        rest = len(self.problems) - limit
        if rest > 0:
            lines.append(f"... and {rest} more problem(s)")
        return "\n".join(lines)


class NotFoundError(WasteWalkError):
    """A record the user named does not exist (or is archived where that matters)."""


class DatabaseError(WasteWalkError):
    """The database file cannot be used as it is; the message says why and what to do."""


class DatabaseTooNewError(DatabaseError):
    """The database was written by a newer WasteWalk; opening it here could damage it."""


class DatabaseDamagedError(DatabaseError):
    """The database failed its integrity check; it is never written to."""

    def __init__(self, message: str, latest_backup: str | None = None) -> None:
        self.latest_backup = latest_backup
        super().__init__(message)


def saving_file_words(exc: OSError, path: Path, what: str) -> str:
    """Why a file (`what`: "report", "pack") could not be saved as `path`, in plain words."""
    if exc.errno == errno.ENOSPC:
        return f"The disk is full, so the {what} was not saved as {path}. Free some space."
    if exc.errno == errno.EROFS:
        return f"{path.parent} is on a read-only disk; choose another folder for the {what}."
    if isinstance(exc, PermissionError):
        return (
            f"WasteWalk may not write {path} (permission denied); choose another folder, or "
            "close the file if another program has it open."
        )
    return f"The {what} could not be saved as {path}: {exc.strerror or exc}."
