"""`aircop seizures import FILE.csv`, `aircop seizures export --format csv|json|cen`
(docs/seizures-csv.md) and `aircop seizures rebuild-figures` (docs/analytics.md).

Exit codes: 0 done; 1 the file has problems (each printed as "line 7, column quantity: ..."),
nothing imported; 2 the command cannot run (missing or unreadable file, unknown user, bad
option)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from aircop.accounts.models import User
from aircop.core.context import ActorContext, set_for_process
from aircop.seizures import exporter, figures, importer


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use 2026-03-14)") from None


class _Stream:
    """The command's stdout as a plain file for the writers (call_command can redirect it)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)


class Command(BaseCommand):
    help = (
        "Seizure register files. `aircop seizures import FILE.csv` records every row or none; "
        "`aircop seizures export --format csv|json|cen` writes the records (docs/seizures-csv.md)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a CSV file: every row, or nothing when a row is bad")
        imp.add_argument("file", help="the CSV file (UTF-8, comma or semicolon separated, header row)")
        imp.add_argument("--unit", help="code of the recording unit for rows that name none")
        imp.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        imp.add_argument("--draft", action="store_true", help="import as drafts instead of submitted records")
        sub.add_parser(
            "rebuild-figures",
            help="recompute the monthly roll-up of the figures from the register (after loading records "
            "into the database by other means than AIRCOP)",
        )
        exp = sub.add_parser("export", help="export the seizure records")
        exp.add_argument("--format", choices=exporter.FORMATS, default="csv", dest="fmt")
        exp.add_argument("--from", type=_day, dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
        exp.add_argument("--to", type=_day, dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD)")
        exp.add_argument("--output", metavar="FILE", help="write to FILE instead of the standard output")
        exp.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="export what this user may see (without: every record, never nominal data)",
        )

    def handle(self, *args, action, **options):
        set_for_process(ActorContext(channel="cli"))
        if action == "import":
            self._import(**options)
        elif action == "rebuild-figures":
            rows = figures.rebuild()
            self.stdout.write(f"figures rebuilt: {rows} roll-up row(s)")
        else:
            self._export(**options)

    def _import(self, *, file, unit, dry_run, draft, **options):
        def progress(stage, done, total):
            if options.get("verbosity", 1) > 1:
                self.stderr.write(f"{stage} {done}/{total}")

        try:
            report = importer.import_csv(
                file, actor=None, unit=unit, dry_run=dry_run, submit=not draft, progress=progress
            )
        except importer.ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{report.name}: {len(report.problems)} problem(s) in {report.rows} row(s); nothing imported",
                returncode=1,
            )
        if dry_run:
            self.stdout.write(
                f"{report.name}: {report.rows} row(s) checked, no problem; nothing written (dry run)"
            )
        else:
            self.stdout.write(f"{report.name}: {report.created} seizure(s) imported")

    def _export(self, *, fmt, date_from, date_to, output, username, **options):
        user = None
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"--as: no active user named {username!r}", returncode=2)
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to", returncode=2)
        if output:
            try:
                out = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"{output}: {exc.strerror or exc}", returncode=2) from None
        else:
            out = _Stream(self.stdout)
        try:
            result = exporter.export(fmt, out, user=user, date_from=date_from, date_to=date_to)
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(f"{result.rows} seizure(s) written to {output}")
        if result.incomplete:
            self.stderr.write(
                f"note: {result.incomplete} seizure(s) have more than one item or person; "
                "the CSV carries the first of each, use --format json for all"
            )
