import time

from django.core.management.base import BaseCommand, CommandError

from aircop.web.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with every table, every stored file and a manifest, read in one "
        "consistent transaction while the server runs (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. aircop-2026-05-01.tar.gz")
        parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    def handle(self, *args, **options):
        start = time.monotonic()
        try:
            manifest = create_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        audit = manifest["audit"]
        self.stdout.write(
            f"backup written to {options['file']}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {files} files, audit chain at #{audit['last_seq']} "
            f"({time.monotonic() - start:.1f} s)"
        )
