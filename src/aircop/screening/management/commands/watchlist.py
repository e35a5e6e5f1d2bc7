"""`aircop watchlist create NAME --kind K --owner UNIT --source S` and
`aircop watchlist import --list NAME FILE [--format csv|json] [--replace]` (docs/screening.md).

Exit codes: 0 done; 1 the file has problems (each printed as "line 7, date_of_birth: ..."),
nothing imported; 2 the command cannot run (no such list, unreadable file, bad option)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aircop.core.context import ActorContext, set_for_process
from aircop.core.errors import ServiceError
from aircop.screening import importer, services
from aircop.screening.models import ListKind, Watchlist


class Command(BaseCommand):
    help = "Watchlists: `aircop watchlist create ...`, `aircop watchlist import --list NAME FILE`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an empty list")
        create.add_argument("name")
        create.add_argument("--kind", required=True, choices=ListKind.values)
        create.add_argument("--owner", required=True, help="code of the owning unit")
        create.add_argument("--source", required=True, help="where the list comes from")
        create.add_argument("--title", default="")
        create.add_argument("--tlp", default="amber")
        create.add_argument("--threshold", default="0.80")
        imp = sub.add_parser("import", help="import entries: every line, or nothing when a line is wrong")
        imp.add_argument("file")
        imp.add_argument("--list", required=True, dest="list_name", metavar="NAME")
        imp.add_argument("--format", choices=("csv", "json"), help="default: from the file's extension")
        imp.add_argument("--replace", action="store_true", help="remove the entries the file does not hold")

    def handle(self, *args, action, **options):
        set_for_process(ActorContext(channel="cli"))
        if action == "create":
            try:
                wl = services.create_watchlist(
                    actor=None,
                    name=options["name"],
                    title=options["title"],
                    kind=options["kind"],
                    source=options["source"],
                    owner=options["owner"],
                    tlp=options["tlp"],
                    threshold=options["threshold"],
                )
            except ServiceError as exc:
                raise CommandError(f"{exc.field}: {exc}" if exc.field else str(exc), returncode=2) from None
            self.stdout.write(f"list {wl.name} created ({wl.get_kind_display()}, owner {wl.owner.code})")
            return
        watchlist = Watchlist.objects.filter(name=options["list_name"]).first()
        if watchlist is None:
            raise CommandError(f"--list: no list named {options['list_name']!r}", returncode=2)
        path = Path(options["file"])
        fmt = options["format"] or ("json" if path.suffix.lower() == ".json" else "csv")
        try:
            data = path.read_bytes()
            report = importer.import_entries(
                actor=None,
                watchlist=watchlist,
                data=data,
                name=path.name,
                fmt=fmt,
                replace=options["replace"],
            )
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from None
        except importer.ImportFileError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path.name}: {len(report.problems)} problem(s) in {report.rows} line(s); nothing imported",
                returncode=1,
            )
        self.stdout.write(
            f"{path.name}: {report.created} added, {report.updated} updated, {report.removed} removed "
            f"in {watchlist.name}"
        )
