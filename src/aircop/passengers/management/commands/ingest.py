"""`aircop ingest FILE...` and `aircop ingest watch DIR` (docs/passenger-data.md, "Ingestion").

`ingest FILE...` reads and stores each file's messages and prints what became of each
(stored, duplicate, rejected with the reason). Exit codes: 0 nothing rejected; 1 some message
was rejected (the others are stored); 2 a file cannot be read.

`ingest watch DIR` is the drop folder: every file that appears in DIR is ingested, then moved
to DIR/done/ (every message stored or a duplicate) or to DIR/failed/ with FILE.reason.txt
beside it (what was rejected and why; the other messages of the file are stored). A file
is taken once its size has stopped changing for `--settle` seconds, so a file still being
copied in is left alone; files whose name starts with "." are ignored (write to ".name" and
rename, the safest way to drop a file). Runs until stopped; `--once` makes a single pass."""

from __future__ import annotations

import contextlib
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aircop.core.context import ActorContext, set_for_process
from aircop.passengers import parsers, services
from aircop.passengers.models import Source


def _line(outcome: services.MessageOutcome) -> str:
    what = f"{outcome.kind.upper()} {outcome.message_ref or '-'} from {outcome.sender or '?'}"
    if outcome.status == "stored":
        return f"{what}: stored, {outcome.travellers} traveller(s), {outcome.bookings} booking(s); " + (
            ", ".join(outcome.flights) or "no flight"
        )
    if outcome.status == "duplicate":
        return f"{what}: duplicate of a message already stored, not stored again"
    reasons = "; ".join(_where(e) for e in outcome.errors)
    return f"{what}: REJECTED: {reasons}"


def _where(e: dict) -> str:
    parts = [f"{k} {e[k]}" for k in ("segment", "tag", "element", "component") if e.get(k) is not None]
    return (", ".join(parts) + ": " if parts else "") + str(e.get("reason"))


def reason_text(report: services.IngestReport) -> str:
    lines = [f"{report.name} (sha256 {report.sha256}), read {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"]
    lines += [f"file: {_where(e)}" for e in report.errors]
    lines += [_line(m) for m in report.messages]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():
        target = folder / f"{path.stem}.{datetime.now(UTC):%Y%m%dT%H%M%S%f}{path.suffix}"
    shutil.move(str(path), target)
    return target


class Command(BaseCommand):
    help = "Store passenger data files (`aircop ingest FILE...`) or watch a drop folder (`aircop ingest watch DIR`)."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="+", metavar="FILE | watch DIR")
        parser.add_argument("--once", action="store_true", help="watch: one pass over DIR, then stop")
        parser.add_argument("--interval", type=float, default=2.0, help="watch: seconds between passes (2)")
        parser.add_argument(
            "--settle", type=float, default=1.0, help="watch: seconds a file's size must stay still (1)"
        )

    def handle(self, *args, once, interval, settle, **options):
        if args[0] == "watch":
            if len(args) != 2:
                raise CommandError("usage: aircop ingest watch DIR", returncode=2)
            set_for_process(ActorContext(channel="system"))
            self._watch(Path(args[1]), once=once, interval=interval, settle=settle)
            return
        set_for_process(ActorContext(channel="cli"))
        rejected = False
        for name in args:
            path = Path(name)
            try:
                data = path.read_bytes()
                report = services.ingest(data, name=path.name, source=Source.CLI)
            except OSError as exc:
                raise CommandError(f"{name}: {exc.strerror or exc}", returncode=2) from None
            except parsers.UnreadableFile as exc:
                raise CommandError(f"{name}: {exc}", returncode=2) from None
            for e in report.errors:
                self.stderr.write(f"{path.name}: {_where(e)}")
            for m in report.messages:
                (self.stdout if m.status != "rejected" else self.stderr).write(f"{path.name}: {_line(m)}")
            rejected = rejected or not report.ok
        if rejected:
            raise CommandError("some messages were rejected (see above); the others are stored", returncode=1)

    def _watch(self, folder: Path, *, once: bool, interval: float, settle: float) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a directory", returncode=2)
        for sub in ("done", "failed"):
            (folder / sub).mkdir(exist_ok=True)
        self.stdout.write(f"watching {folder} (done/ and failed/ beside the files)")
        sizes: dict[Path, int] = {}
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                self._pass(folder, sizes, settle if not once else 0)
                if once:
                    return
                time.sleep(interval)

    def _pass(self, folder: Path, sizes: dict[Path, int], settle: float) -> None:
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            stat = path.stat()
            if settle and (sizes.get(path) != stat.st_size or time.time() - stat.st_mtime < settle):
                sizes[path] = stat.st_size
                continue
            sizes.pop(path, None)
            self._one(path, folder)

    def _one(self, path: Path, folder: Path) -> None:
        try:
            report = services.ingest(path.read_bytes(), name=path.name, source=Source.FOLDER)
        except (OSError, parsers.UnreadableFile) as exc:
            target = _move(path, folder / "failed")
            target.with_name(target.name + ".reason.txt").write_text(
                f"{path.name}: {exc}\n", encoding="utf-8"
            )
            self.stderr.write(f"{path.name}: failed: {exc}")
            return
        if report.ok:
            target = _move(path, folder / "done")
            self.stdout.write(
                f"{path.name}: done ({', '.join(f'{k} {v}' for k, v in report.counts().items() if v)})"
            )
        else:
            target = _move(path, folder / "failed")
            target.with_name(target.name + ".reason.txt").write_text(reason_text(report), encoding="utf-8")
            self.stderr.write(f"{path.name}: failed, see {target.name}.reason.txt")
