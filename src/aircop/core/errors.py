"""Errors the user can fix: a refused write (ServiceError) and a bad row of an imported file
(RowProblem, shared by the seizure and participant-list imports)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A write refused for a reason the user can fix. ``field`` names where the problem is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        self.message = message
        self.field = field
        self.code = code
        super().__init__(f"{field}: {message}" if field else message)


@dataclass
class RowProblem:
    line: int  # in the file, the header being line 1
    column: str  # "" when the problem is the row as a whole
    message: str

    def __str__(self):
        if self.column:
            return _("line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
