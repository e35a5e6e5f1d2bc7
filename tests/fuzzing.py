"""Shared kit of the property tests of the importers (tests/*/test_fuzz_*.py): the hypothesis
settings, CSV mutations of a valid file, values that parsers and databases choke on, and row
counts to show that a refused import wrote nothing.

Every test is deterministic (``derandomize``, no example database) and bounded
(``max_examples``, small inputs, a per-example deadline that only a hang reaches)."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import timedelta

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.function_scoped_fixture,  # the db fixture: every example runs in its own savepoint
]


def fuzz(max_examples: int, seconds: float = 5) -> settings:
    """Hypothesis settings: same examples on every run, at most ``max_examples`` of them;
    ``seconds`` per example is far above the milliseconds an example takes (a hang)."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=seconds),
        suppress_health_check=SUPPRESSED,
    )


# Values that dates, numbers, codes, free text fields and the databases may choke on: NUL
# (PostgreSQL refuses it in text), lone surrogates, integers beyond 64 bits, floats that are
# not finite, impossible dates, texts longer than a column.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\u202e",
    "\ufeff",
    "é\u0301",
    "ß",
    "٣",
    "１２",
    "'",
    '"',
    ",",
    ";",
    "\n",
    "\r",
    "|",
    "||",
    "0",
    "-1",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "1,5",
    "1.5.5",
    "9" * 25,
    "9" * 5000,
    "-" + "9" * 20,
    "0x10",
    "1_000",
    "2024-02-30",
    "2023-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2026-13-01",
    "2026-03-14T25:00",
    "2026-03-14T08:30+99:00",
    "2026-03-14T08:30Z",
    "24:00",
    "23:59:60",
    "X" * 300,
    "N" * 25_000,
    "[]",
    "{}",
    "null",
    "None",
    "<script>",
    "../../etc/passwd",
    "TLP:RED",
    "amber+strict",
]
SPECIALS = ",;\"'\n\r\t\x00\ufeff\\|"


def cells(text: str) -> list[list[str]]:
    """The rows of a valid seed file (comma or semicolon, as its header says)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


def write(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def mutated_csv(draw, seeds: list[str], values: list[str] | None = None) -> bytes:
    """A valid seed file, changed one to six times: rows or columns deleted, duplicated or
    swapped, cells replaced by nasty values or by a value of another cell, header names
    changed, separators, quotes and line breaks inserted into the text, the text cut short;
    then written back with either delimiter, sometimes with a byte-order mark, and encoded
    as UTF-8 (sometimes Latin-1, or with a stray invalid byte)."""
    rows = [list(r) for r in cells(draw(st.sampled_from(seeds)))]
    pool = NASTY + (values or [])
    raw_edits: list[tuple[str, int, str]] = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3, 6]))):  # one change, mostly: near-valid files
        op = draw(
            st.sampled_from(
                [
                    "delete_row",
                    "duplicate_row",
                    "swap_rows",
                    "delete_column",
                    "swap_columns",
                    "cell",
                    "cell",
                    "cell",
                    "copy_cell",
                    "header",
                    "extra_cell",
                    "raw_insert",
                    "truncate",
                ]
            )
        )
        if not rows:
            rows = [[""]]
        i = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        width = max(len(r) for r in rows) or 1
        j = draw(st.integers(min_value=0, max_value=width - 1))
        if op == "delete_row":
            del rows[i]
        elif op == "duplicate_row":
            rows.insert(i, list(rows[i]))
        elif op == "swap_rows":
            k = draw(st.integers(min_value=0, max_value=len(rows) - 1))
            rows[i], rows[k] = rows[k], rows[i]
        elif op == "delete_column":
            for row in rows:
                if j < len(row):
                    del row[j]
        elif op == "swap_columns":
            k = draw(st.integers(min_value=0, max_value=width - 1))
            for row in rows:
                if j < len(row) and k < len(row):
                    row[j], row[k] = row[k], row[j]
        elif op in ("cell", "header"):
            row = rows[0] if op == "header" else rows[i]
            if j < len(row):
                near = values and draw(st.booleans())  # a value of another column, often valid here
                row[j] = (
                    draw(st.sampled_from(values))
                    if near
                    else draw(st.sampled_from(pool) | st.text(max_size=12))
                )
        elif op == "copy_cell":
            k = draw(st.integers(min_value=0, max_value=len(rows) - 1))
            src = rows[k]
            if src and j < len(rows[i]):
                rows[i][j] = src[draw(st.integers(min_value=0, max_value=len(src) - 1))]
        elif op == "extra_cell":
            rows[i].insert(j, draw(st.sampled_from(pool)))
        else:
            raw_edits.append(
                (
                    op,
                    draw(st.integers(min_value=0, max_value=10**6)),
                    draw(st.text(SPECIALS, min_size=1, max_size=3)),
                )
            )
    delimiter = draw(st.sampled_from([",", ",", ";"]))
    text = write(rows, delimiter)
    for op, at, insert in raw_edits:
        at = at % (len(text) + 1)
        text = text[:at] if op == "truncate" else text[:at] + insert + text[at:]
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8"] * 10 + ["latin-1", "invalid"]))
    if encoding == "latin-1":
        return text.encode("latin-1", "replace")
    data = text.encode("utf-8", "surrogatepass")
    if encoding == "invalid":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + b"\xc3(" + data[at:]
    return data


RANDOM_CSV_TEXT = st.text(alphabet=st.sampled_from(list(SPECIALS) + list("abcXYZ019-: ")), max_size=400)
RANDOM_BYTES = st.binary(max_size=400)


def random_file(header: str) -> st.SearchStrategy[bytes]:
    """Random bytes, random text, and random text under a valid header line."""
    return st.one_of(
        RANDOM_BYTES,
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        RANDOM_CSV_TEXT.map(lambda t: (header + "\n" + t).encode("utf-8")),
    )


def counts(*models) -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in models}


class Rollback(Exception):
    """Raised at the end of an example to roll its savepoint back."""


def in_savepoint(run):
    """Run ``run()`` inside a savepoint rolled back afterwards, so that the examples of one
    test do not see each other's writes; returns what ``run`` returned."""
    box = []
    try:
        with transaction.atomic():
            box.append(run())
            raise Rollback
    except Rollback:
        pass
    return box[0]


def note(label: str) -> None:
    """hypothesis.event (the share of each outcome, --hypothesis-show-statistics), also callable
    from the plain tests that reuse a property's check."""
    from hypothesis import event
    from hypothesis.errors import InvalidArgument

    with contextlib.suppress(InvalidArgument):  # outside a property test
        event(label)
