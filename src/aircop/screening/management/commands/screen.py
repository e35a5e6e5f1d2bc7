"""`aircop screen --watchlist W.csv --passengers P.csv [--json] [--threshold 0.8]`: the
screening engine without the database (docs/screening.md, "The stateless CLI").

Exit codes: 0 screened (with or without hits); 2 a file is missing, unreadable or has
problems (each printed with its line and column; nothing is screened)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aircop.screening.matcher import engine, files


def _text(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}", returncode=2) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text", returncode=2) from None


class Command(BaseCommand):
    help = "Screen a passenger list against a watchlist (CSV files) and print the hits."

    def add_arguments(self, parser):
        parser.add_argument("--watchlist", required=True, metavar="W.csv")
        parser.add_argument("--passengers", required=True, metavar="P.csv")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the hits as JSON")
        parser.add_argument(
            "--threshold", type=float, default=engine.DEFAULT_THRESHOLD, help="lowest score reported (0.8)"
        )

    def handle(self, *args, watchlist, passengers, as_json, threshold, **options):
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold: a number from 0 to 1", returncode=2)
        try:
            entries = files.read_watchlist(_text(watchlist), Path(watchlist).name)
            people = files.read_passengers(_text(passengers), Path(passengers).name)
        except files.FileProblems as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing screened", returncode=2) from None
        index = engine.Index(entries)
        hits = [hit for person in people for hit in index.screen(person, threshold)]
        if as_json:
            self.stdout.write(json.dumps([h.as_json() for h in hits], ensure_ascii=False, indent=2))
        else:
            for h in hits:
                self.stdout.write(f"{h.person_id} ~ {h.entry_id}: {h.score:.2f}  " + " | ".join(h.reasons))
            self.stderr.write(
                f"{len(people)} passenger(s) against {len(entries)} entries: {len(hits)} hit(s)"
            )
