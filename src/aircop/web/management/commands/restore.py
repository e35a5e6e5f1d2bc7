from django.core.management.base import BaseCommand, CommandError

from aircop.web.backup import BackupError
from aircop.web.backup_restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `aircop backup` into an empty, migrated database, then verify the "
        "audit chain (exit code 1 when it does not verify). docs/backup.md"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `aircop backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty every table first (in the same transaction) and replace the stored files",
        )

    def handle(self, *args, **options):
        try:
            result = restore_backup(options["file"], replace=options["replace"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from None
        verified = result.verified
        if not verified.ok:
            raise CommandError(
                f"audit chain BROKEN at entry #{verified.broken_seq}: {verified.reason} "
                f"({verified.checked} entries before it verified)",
                returncode=1,
            )
        self.stdout.write(f"audit chain OK: {verified.checked} entries verified")
