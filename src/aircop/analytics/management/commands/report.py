"""`aircop report strategic|programme|seizure|alert ...`: the reports of docs/analytics.md
("Reports", "The programme dashboard") written to a file, HTML or PDF.

    aircop report strategic --from DATE --to DATE [--region CODE|--country CC|--airport IATA]
                            --format pdf|html --output FILE [--as USERNAME] [--language fr] [--tlp amber]
    aircop report programme [--at DATE] --format pdf|html --output FILE [--as USERNAME] [--language fr]
                            [--tlp clear]
    aircop report seizure ID --as USERNAME --format pdf|html --output FILE [--language fr]
    aircop report alert ID --as USERNAME --format pdf|html --output FILE [--language fr]

Without --as a strategic report is the operator's: no nominal data is in it anyway, and the
disclosure rule withholds small cells; a programme report (whole-network counts) needs no
user either. A case report is always read as a user (--as).
Exit codes: 0 written; 2 the command cannot run (bad date, scope, user, record, option or
output file), with one line saying why; the output file is then left untouched."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone, translation

from aircop.accounts.models import User
from aircop.analytics import programme, queries, reports, reports_programme
from aircop.core.context import ActorContext, set_for_process
from aircop.core.errors import ServiceError


def _fail(message: str):
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Write a strategic report, or the case report of a seizure or an alert, as PDF or HTML."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        strategic = sub.add_parser("strategic", help="figures for a period and a place (docs/analytics.md)")
        strategic.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="YYYY-MM-DD")
        strategic.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="YYYY-MM-DD")
        strategic.add_argument("--region", metavar="CODE", help="a region code, e.g. wca")
        strategic.add_argument("--country", metavar="CC", help="ISO 3166 alpha-2 or alpha-3")
        strategic.add_argument("--airport", metavar="IATA", help="an airport's IATA code")
        strategic.add_argument(
            "--tlp", metavar="LABEL", help="the report's TLP label (default amber): clear, green, amber, ..."
        )
        figures = sub.add_parser("programme", help="the programme's published figures for a date")
        figures.add_argument("--at", metavar="DATE", help="YYYY-MM-DD (default today)")
        figures.add_argument("--tlp", metavar="LABEL", help="the report's TLP label (default clear)")
        for name, what in (("seizure", "a seizure record"), ("alert", "an alert")):
            case = sub.add_parser(name, help=f"the case report of {what}")
            case.add_argument("record_id", type=int, metavar="ID")
        for kind, p in sub.choices.items():
            p.add_argument("--format", choices=reports.FORMATS, default="pdf", dest="fmt")
            p.add_argument("--output", required=True, metavar="FILE", help="the file to write")
            p.add_argument(
                "--as",
                dest="username",
                metavar="USERNAME",
                required=kind not in ("strategic", "programme"),
                help="read as this user (what they may see, audited under their name)",
            )
            p.add_argument(
                "--language",
                default=settings.LANGUAGE_CODE,
                choices=[code for code, _name in settings.LANGUAGES],
                help="language of the report (default %(default)s)",
            )

    def handle(self, *args, kind, fmt, output, username, language, **options):
        set_for_process(ActorContext(channel="cli"))
        user = None
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise _fail(f"--as: no active user named {username!r}")
        target = Path(output)
        if not target.parent.is_dir():
            raise _fail(f"--output: no directory {str(target.parent)!r}")
        with translation.override(language):
            try:
                report = self._build(kind, user, fmt, options)
            except ServiceError as exc:
                where = f"--{exc.field}: " if exc.field else ""
                raise _fail(f"{where}{exc.message}") from None
            except Http404:
                raise _fail(
                    f"{kind} {options['record_id']}: not found, or not visible to {username}"
                ) from None
        _write(target, report.body)
        self.stderr.write(f"{kind} report written to {target} ({len(report.body):,} bytes, {fmt})")

    def _build(self, kind, user, fmt, options) -> reports.Report:
        if kind == "strategic":
            scope = queries.parse_scope(
                date_from=options["date_from"],
                date_to=options["date_to"],
                region=options["region"],
                country=options["country"],
                airport=options["airport"],
            )
            return reports.strategic(user, scope, fmt_name=fmt, tlp=options["tlp"])
        if kind == "programme":
            at = programme.parse_at(options["at"], timezone.localdate())
            return reports_programme.programme_report(user, at, fmt_name=fmt, tlp=options["tlp"])
        if kind == "seizure":
            return reports.seizure_report(user, options["record_id"], fmt_name=fmt)
        return reports.alert_report(user, options["record_id"], fmt_name=fmt)


def _write(target: Path, body: bytes) -> None:
    """The whole file or nothing: written beside the target, then renamed over it."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
