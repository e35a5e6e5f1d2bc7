"""`aircop operations list|missing|report`: joint operations from the command line
(docs/operations.md), always read as a user (--as), with that user's visibility.

    aircop operations list --as USERNAME
    aircop operations missing NAME --as USERNAME [--day YYYY-MM-DD]
    aircop operations report NAME --as USERNAME --output FILE [--format pdf|html] [--language fr]

Exit codes: 0 done; 2 the command cannot run (unknown user or operation, bad day, option or
output file), with one line saying why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone, translation

from aircop.accounts.models import User
from aircop.core.context import ActorContext, set_for_process
from aircop.operations import report, selectors


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Joint operations: list them, show who has not reported on a day, write the results report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the operations the user may see, with their state")
        missing = sub.add_parser("missing", help="participating units that have not reported on a day")
        missing.add_argument("name", help="the operation's name")
        missing.add_argument("--day", metavar="DATE", help="YYYY-MM-DD (default today, UTC)")
        out = sub.add_parser("report", help="the operation's results report, PDF or HTML")
        out.add_argument("name", help="the operation's name")
        out.add_argument("--format", choices=report.FORMATS, default="pdf", dest="fmt")
        out.add_argument("--output", required=True, metavar="FILE", help="the file to write")
        out.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the report (default %(default)s)",
        )
        for p in sub.choices.values():
            p.add_argument(
                "--as", dest="username", required=True, metavar="USERNAME", help="read as this user"
            )

    def handle(self, *args, action, username, **options):
        set_for_process(ActorContext(channel="cli"))
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise _fail(f"--as: no active user {username!r}")
        if action == "list":
            for o in selectors.operations(user):
                self.stdout.write(
                    f"{o.name}\t{o.state()}\t{o.starts_at:%Y-%m-%d %H:%M}\t{o.ends_at:%Y-%m-%d %H:%M}\t{o.title}"
                )
            return
        try:
            operation = selectors.operation(user, options["name"])
        except Http404:
            raise _fail(f"no operation {options['name']!r} that {username} may see") from None
        if action == "missing":
            try:
                day = date.fromisoformat(options["day"]) if options.get("day") else timezone.now().date()
            except ValueError:
                raise _fail(f"--day: not a date: {options['day']!r} (use 2026-05-04)") from None
            found = selectors.missing_reports(operation, day)
            self.stdout.write(
                f"{day.isoformat()}: {len(found['missing'])} of the units due have not reported"
            )
            for unit in found["missing"]:
                self.stdout.write(f"  {unit.code}\t{unit.name}")
            return
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise _fail(f"--output: no directory {str(path.parent)!r}")
        with translation.override(options["language"]):
            out = report.report(user, operation, fmt_name=options["fmt"])
        path.write_bytes(out.body)
        self.stdout.write(f"written: {path} ({len(out.body)} bytes)")
