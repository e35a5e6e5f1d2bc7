"""Full-text search over the alerts a user may see.

Each alert has one search entry with two texts: ``public`` (title, body, the values of
``details`` and the bodies of the thread's replies) and ``nominal`` (the values of
``nominal``: names, documents, dates of birth). A query matches the public text, and the
nominal text only for alerts whose nominal data the user may see (the same rule as
``selectors.sees_nominal``), so searching for a name cannot reveal that a restricted alert
holds it. Results always come from ``visible_to(Alert, user)``.

Storage, created by migration 0002_search:
- SQLite: the FTS5 table ``messaging_alert_fts(alert_id UNINDEXED, public, nominal)``, whose
  rowid is the alert's id.
- PostgreSQL: ``messaging_alert_search(alert_id, public tsvector, nominal tsvector)`` with GIN
  indexes; the foreign key cascades when an alert is deleted.

Both databases see the same words: text is folded here (NFKD, combining marks dropped,
case-folded, a few Arabic letter variants unified) and cut into runs of letters and digits,
and every query word matches as a prefix of an indexed word. On PostgreSQL the words are
stored with ``array_to_tsvector`` and the query is built from quoted lexemes, so neither side
goes through a text-search parser or dictionary and no language's stemming applies. The
user's input never reaches the FTS5 or tsquery syntax except as quoted lexemes made of
letters and digits only.

The entry holds no audience: who may see an alert and its nominal data is decided at query
time, so a change of recipients (forwarding) needs no re-indexing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from aircop.core.visibility import visible_to
from aircop.messaging import selectors
from aircop.messaging.models import Alert, Message

MAX_QUERY_WORDS = 16
MAX_WORD_LENGTH = 100  # longer words are cut, on both sides, so they still match as prefixes

_WORD = re.compile(r"[^\W_]+")
_DROPPED_CATEGORIES = {"Mn", "Me"}  # combining accents, Arabic harakat, enclosing marks
_LETTER_VARIANTS = str.maketrans(
    {
        "\u0640": None,  # tatweel (Arabic elongation)
        "\u0649": "\u064a",  # alef maqsura -> yeh
        "\u06cc": "\u064a",  # Farsi yeh -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06a9": "\u0643",  # keheh -> kaf
    }
)


def fold(text: str) -> str:
    """Accent-, case- and width-insensitive form: 'São PAULO' -> 'sao paulo'."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return text.translate(_LETTER_VARIANTS)


def words(text: str) -> list[str]:
    """The folded words of ``text``, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen.setdefault(word[:MAX_WORD_LENGTH], None)
    return list(seen)


def _flatten(value) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def entry_words(*, title: str, body: str, details, nominal, replies: Iterable[str]) -> tuple[list, list]:
    """(public words, nominal words) of an alert."""
    public = words("\n".join([title or "", body or "", *_flatten(details or {}), *replies]))
    return public, words("\n".join(_flatten(nominal or {})))


def write_entry(connection, alert_id: int, public: list[str], nominal: list[str]) -> None:
    """Insert or replace the entry of ``alert_id`` (used by the migration's backfill too)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM messaging_alert_fts WHERE rowid = %s", [alert_id])
            cursor.execute(
                "INSERT INTO messaging_alert_fts (rowid, alert_id, public, nominal) VALUES (%s, %s, %s, %s)",
                [alert_id, alert_id, " ".join(public), " ".join(nominal)],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO messaging_alert_search (alert_id, public, nominal)"
                " VALUES (%s, array_to_tsvector(%s::text[]), array_to_tsvector(%s::text[]))"
                " ON CONFLICT (alert_id) DO UPDATE SET public = EXCLUDED.public, nominal = EXCLUDED.nominal",
                [alert_id, public, nominal],
            )
        else:
            raise NotImplementedError(f"search is not available on {connection.vendor}")


def index_alert(alert: Alert, *, new: bool = False) -> None:
    """(Re)write the alert's search entry. Idempotent; runs inside the caller's transaction,
    so the entry commits or rolls back with the alert or the reply that caused it. ``new``:
    the alert was created in this transaction, so it has no replies to read yet."""
    using = alert._state.db or DEFAULT_DB_ALIAS
    replies = (
        []
        if new
        else Message.objects.using(using)
        .filter(alert_id=alert.pk)
        .order_by("id")
        .values_list("body", flat=True)
    )
    public, nominal = entry_words(
        title=alert.title, body=alert.body, details=alert.details, nominal=alert.nominal, replies=replies
    )
    write_entry(connections[using], alert.pk, public, nominal)


def unindex_alert(alert_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove an alert's entry. Needed on SQLite when alerts are deleted (on PostgreSQL the
    foreign key cascades, and this is a harmless no-op after it)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM messaging_alert_fts WHERE rowid = %s", [alert_id])
        else:
            cursor.execute("DELETE FROM messaging_alert_search WHERE alert_id = %s", [alert_id])


def reindex_all(using: str = DEFAULT_DB_ALIAS) -> int:
    """Rewrite every alert's entry (after a change of the folding rules). Returns the count."""
    count = 0
    for alert in Alert.objects.using(using).order_by("pk").iterator(chunk_size=500):
        index_alert(alert)
        count += 1
    return count


def _matching(vendor: str, query_words: list[str], *, with_nominal: bool) -> RawSQL:
    """Ids of the alerts whose entry holds every query word as a prefix: in the public text
    only, or (``with_nominal``) in the public or the nominal text."""
    if vendor == "sqlite":
        # Each word is a quoted prefix token: "word"*. Words hold letters and digits only.
        expression = " ".join(f'"{w}"*' for w in query_words)
        if not with_nominal:
            expression = f"{{public}} : ({expression})"
        return RawSQL(
            "SELECT rowid FROM messaging_alert_fts WHERE messaging_alert_fts MATCH %s", [expression]
        )
    if vendor == "postgresql":
        lexemes = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "':*" for w in query_words]
        if not with_nominal:
            return RawSQL(
                "SELECT alert_id FROM messaging_alert_search WHERE public @@ %s::tsquery",
                [" & ".join(lexemes)],
            )
        # A word may be in either text; one condition per word keeps both GIN indexes usable.
        conditions = " AND ".join("(public @@ %s::tsquery OR nominal @@ %s::tsquery)" for _ in lexemes)
        params = [lexeme for lexeme in lexemes for _ in (0, 1)]
        sql = "SELECT alert_id FROM messaging_alert_search WHERE " + conditions  # noqa: S608 - words are parameters
        return RawSQL(sql, params)  # noqa: S611 - fixed text, words are parameters
    raise NotImplementedError(f"search is not available on {vendor}")


def search(user, query: str, limit: int = 50) -> list[Alert]:
    """Alerts ``user`` may see that match every word of ``query`` (as prefixes), newest first.
    Nominal data counts only where the user sees it. Any text is accepted: operators and
    quotes are treated as separators, and a query without words returns []."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    query_words = words(query or "")[:MAX_QUERY_WORDS]
    if not query_words or limit <= 0:
        return []
    qs = visible_to(Alert, user)
    vendor = connections[qs.db].vendor
    public = _matching(vendor, query_words, with_nominal=False)
    anywhere = _matching(vendor, query_words, with_nominal=True)
    qs = qs.filter(Q(pk__in=public) | (Q(pk__in=anywhere) & selectors.nominal_visible_q(user)))
    return list(
        qs.select_related("sender_unit", "sender_unit__airport", "destination", "operation").order_by(
            "-created_at", "-id"
        )[:limit]
    )
