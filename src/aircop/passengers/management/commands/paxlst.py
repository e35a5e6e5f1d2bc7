"""`aircop paxlst parse FILE [--json]`: read API messages (UN/EDIFACT PAXLST) and print them,
normalised (docs/passenger-data.md); stores nothing."""

from django.core.management.base import BaseCommand

from aircop.passengers.management.commands import _parse


class Command(BaseCommand):
    help = "Read a PAXLST file and print its flights and travellers (`--json`: the documented JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("parse", help="read FILE and print it; nothing is stored")
        p.add_argument("file")
        p.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON (docs/passenger-data.md)"
        )

    def handle(self, *args, action, file, as_json, **options):
        _parse.run(self, kind="paxlst", file=file, as_json=as_json, other="pnr")
