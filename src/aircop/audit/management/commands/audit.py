from django.core.management.base import BaseCommand, CommandError

from aircop.audit.services import verify


class Command(BaseCommand):
    help = "Audit trail tools. `aircop audit verify` walks the hash chain and names the first broken entry."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain (exit code 1 when broken)")

    def handle(self, *args, **options):
        result = verify()
        if result.ok:
            self.stdout.write(f"audit chain OK: {result.checked} entries verified")
            return
        raise CommandError(
            f"audit chain BROKEN at entry #{result.broken_seq}: {result.reason} "
            f"({result.checked} entries before it verified)",
            returncode=1,
        )
