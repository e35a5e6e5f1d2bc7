"""`aircop mrz [TEXT ...] [--json]`: read a machine-readable zone and check its check digits
(docs/mrz.md). The MRZ comes from the arguments (one per line, or a single line of 88, 72 or
90 characters) or, without any, from standard input. Stores nothing, needs no database.

Exit codes: 0 every check digit is right; 1 some check digit is wrong (the fields are still
printed); 2 the text cannot be read as an MRZ (the message names the line and column)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from aircop.screening import mrz

_LABELS = [
    ("format", "format"),
    ("document_code", "document code"),
    ("issuing_state", "issuing state"),
    ("surname", "surname"),
    ("given_names", "given names"),
    ("document_number", "document number"),
    ("nationality", "nationality"),
    ("date_of_birth", "date of birth"),
    ("sex", "sex"),
    ("expiry_date", "date of expiry"),
    ("optional_data", "optional data"),
    ("optional_data_2", "optional data 2"),
]


class Command(BaseCommand):
    help = "Read a passport, ID card or visa MRZ (ICAO 9303) and check its check digits."
    # call_command("mrz", stdin=...) feeds standard input in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "text",
            nargs="*",
            metavar="TEXT",
            help="the MRZ: its lines as separate arguments, or one argument; '-' or none reads stdin",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the reading as JSON")

    def handle(self, *args, text, as_json, **options):
        if not text or text == ["-"]:
            source = options.get("stdin") or sys.stdin
            text = [source.read()]
        try:
            reading = mrz.read("\n".join(text))
        except mrz.MrzError as exc:
            raise CommandError(f"unreadable MRZ: {exc}", returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(reading.as_json(), ensure_ascii=False, indent=2))
        else:
            self._print(reading)
        if not reading.valid:
            wrong = ", ".join(c.field for c in reading.checks if not c.ok)
            raise CommandError(f"wrong check digit: {wrong}", returncode=1)

    def _print(self, reading: mrz.Mrz) -> None:
        for attribute, label in _LABELS:
            value = getattr(reading, attribute)
            if attribute == "format":
                value = mrz.FORMATS[value]
            elif attribute == "optional_data_2" and reading.format != "TD1":
                continue
            self.stdout.write(f"{label:<16} {value if value not in (None, '') else '-'}")
        self.stdout.write("check digits:")
        for c in reading.checks:
            verdict = "ok" if c.ok else f"WRONG (expected {c.expected})"
            self.stdout.write(f"  {c.field:<16} {c.found}  {verdict}")
        for problem in reading.problems:
            self.stdout.write(f"problem: {problem}")
        self.stdout.write("valid" if reading.valid else "NOT VALID")
