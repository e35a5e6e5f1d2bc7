"""`aircop retention run [--dry-run]`: mask, then delete, passenger data on the retention
schedule (docs/passenger-data.md, "Retention"), and print the counts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from aircop.core.context import ActorContext, set_for_process
from aircop.passengers import retention


class Command(BaseCommand):
    help = "Mask and delete passenger data past its retention period; print the counts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="apply the retention schedule now")
        run.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, action, dry_run, **options):
        set_for_process(ActorContext(channel="cli"))
        counts = retention.run(dry_run=dry_run)
        self.stdout.write(
            f"passenger data retention{' (dry run, nothing changed)' if dry_run else ''}: "
            f"masked after {settings.AIRCOP_PASSENGER_MASK_DAYS} days, deleted after "
            f"{settings.AIRCOP_PASSENGER_DELETE_DAYS} days"
        )
        for key, value in counts.as_json().items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {value}")
