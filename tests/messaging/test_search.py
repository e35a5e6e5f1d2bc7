"""Search over what a user may see: full text on the real database (FTS5 on SQLite, tsvector
on PostgreSQL), never disclosing an alert, or restricted nominal data, by a match.

The alerts are sent through the services; each test indexes them itself, which stays right
once the services index them too (indexing is idempotent)."""

import copy

import pytest
from django.db import connection

from aircop.messaging import search, selectors, services
from aircop.messaging.models import Alert
from tests.messaging.conftest import PASSENGER

SURNAME = "Okonkwo-Mbeki"


def ids(alerts):
    return [a.pk for a in alerts]


def send(user, *, index=True, **changes) -> Alert:
    payload = copy.deepcopy(PASSENGER)
    payload["nominal"]["surname"] = SURNAME
    payload["nominal"]["given_names"] = "Adaeze Chiamaka"
    payload["audience"] = [{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "country", "target": "NG"}]
    payload["nominal_restricted"] = True
    payload.update(changes)
    alert = services.send_alert(
        sender=user,
        kind=payload["kind"],
        title=payload["title"],
        body=payload.get("body", ""),
        audience_entries=payload["audience"],
        priority=payload["priority"],
        tlp=payload["tlp"],
        details=payload["details"],
        nominal=payload["nominal"],
        nominal_restricted=payload["nominal_restricted"],
    )
    if index:
        search.index_alert(alert)
    return alert


def entry_count(alert_id: int) -> int:
    if connection.vendor == "sqlite":
        sql = "SELECT count(*) FROM messaging_alert_fts WHERE rowid = %s"
    else:
        sql = "SELECT count(*) FROM messaging_alert_search WHERE alert_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [alert_id])
        return cursor.fetchone()[0]


@pytest.fixture
def users(user_named):
    names = ("officer-gru", "head-gru", "officer-lfw", "officer-los", "officer-acc")
    return {name: user_named(name) for name in names}


def test_finds_by_title_word_and_prefix(users):
    alert = send(users["officer-gru"])
    lfw = users["officer-lfw"]
    assert ids(search.search(lfw, "ingestion")) == [alert.pk]
    assert ids(search.search(lfw, "COCAINE courier")) == [alert.pk]  # every word, any order, any case
    assert ids(search.search(lfw, "coca")) == [alert.pk]  # words match as prefixes
    assert ids(search.search(lfw, "et908")) == [alert.pk]  # a value of details
    assert search.search(lfw, "ingestion heroin") == []  # every word must match


def test_finds_by_reply_text(users):
    alert = send(users["officer-gru"])
    services.post_message(user=users["officer-lfw"], alert=alert, body="Intercepté au contrôle, 84 capsules")
    search.index_alert(alert)
    assert ids(search.search(users["officer-los"], "capsules")) == [alert.pk]
    assert ids(search.search(users["head-gru"], "intercepte controle")) == [alert.pk]


def test_accents_and_case_do_not_matter(users):
    accented = send(users["officer-gru"], title="Mule arrivée de São Paulo via Addis-Abeba")
    plain = send(users["officer-gru"], title="Second mule from Sao Paulo")
    lfw = users["officer-lfw"]
    both = [plain.pk, accented.pk]  # newest first
    assert ids(search.search(lfw, "sao paulo")) == both
    assert ids(search.search(lfw, "SÃO PAULO")) == both
    assert ids(search.search(lfw, "arrivee")) == [accented.pk]
    assert ids(search.search(lfw, "ARRIVÉE")) == [accented.pk]
    assert ids(search.search(lfw, "addis abeba")) == [accented.pk]


def test_arabic_words(users):
    alert = send(users["officer-gru"], body="اشتباه في تهريب الكوكايين عبر أديس أبابا")
    lfw = users["officer-lfw"]
    assert ids(search.search(lfw, "الكوكايين")) == [alert.pk]
    assert ids(search.search(lfw, "تهريب")) == [alert.pk]
    assert ids(search.search(lfw, "الْكُوكَايِين")) == [alert.pk]  # with vowel marks
    assert ids(search.search(lfw, "اديس")) == [alert.pk]  # hamza on the alef dropped
    assert search.search(lfw, "الهيروين") == []


def test_restricted_names_are_found_only_by_who_sees_them(users):
    alert = send(users["officer-gru"])
    assert selectors.sees_nominal(users["officer-lfw"], alert)
    assert not selectors.sees_nominal(users["officer-los"], alert)
    for name in ("officer-lfw", "officer-gru", "head-gru"):  # named unit, sending unit
        assert ids(search.search(users[name], SURNAME)) == [alert.pk], name
        assert ids(search.search(users[name], "okonkwo")) == [alert.pk], name
        assert ids(search.search(users[name], "adaeze courier")) == [alert.pk], name  # nominal + public
        assert ids(search.search(users[name], "P1234567")) == [alert.pk], name
    los = users["officer-los"]  # reached through country NG: sees the alert, not the names
    assert ids(search.search(los, "courier")) == [alert.pk]
    for query in (SURNAME, "okonkwo", "mbeki", "adaeze", "P1234567", "1990", "courier okonkwo"):
        assert search.search(los, query) == [], query


def test_unrestricted_names_are_found_by_every_recipient(users):
    alert = send(users["officer-gru"], nominal_restricted=False)
    assert ids(search.search(users["officer-los"], "okonkwo")) == [alert.pk]


def test_outsiders_find_nothing(users):
    send(users["officer-gru"], nominal_restricted=False)
    acc = users["officer-acc"]
    for query in ("courier", "okonkwo", "et908", "cocaine ingestion"):
        assert search.search(acc, query) == [], query


def test_a_forwarded_unit_finds_the_alert_but_not_by_restricted_names(users):
    alert = send(users["officer-gru"])
    request = services.request_forward(
        user=users["officer-lfw"], alert=alert, unit_codes=["jaitf-acc"], reason="Connecting via ACC"
    )
    acc = users["officer-acc"]
    assert search.search(acc, "courier") == []
    services.decide_forward(user=users["officer-gru"], request=request, approve=True)
    search.index_alert(alert)  # what the services may do; the audience is not in the index anyway
    assert ids(search.search(acc, "courier")) == [alert.pk]
    assert search.search(acc, "okonkwo") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "'",
        "\\",
        'okonkwo"',
        '"okonkwo',
        "courier AND okonkwo",
        "courier OR okonkwo",
        "NOT courier",
        "NEAR(courier okonkwo)",
        "NEAR(courier okonkwo, 5)",
        "cour*",
        "*",
        "^courier",
        "(courier OR",
        "courier)",
        "nominal:okonkwo",
        "nominal : okonkwo",
        "{nominal} : okonkwo",
        "{public nominal}: okonkwo",
        "- {public} : okonkwo",
        "okonkwo:*",
        "'okonkwo':*",
        "courier & okonkwo | x",
        "!courier",
        "courier <-> okonkwo",
        "courier <2> okonkwo",
        "%",
        "_",
        "%s %(x)s",
        "a" * 500,
        "x " * 100,
        "\x00 courier",
    ],
)
def test_search_syntax_in_the_query_is_harmless(users, query):
    send(users["officer-gru"])
    assert isinstance(search.search(users["officer-lfw"], query), list)
    if "okonkwo" in query:  # column filters and operators must not reach restricted names
        assert search.search(users["officer-los"], query) == []
    assert search.search(users["officer-acc"], query) == []


def test_operators_are_plain_words(users):
    alert = send(users["officer-gru"], title="Courier and cash near gate 12, not declared")
    lfw = users["officer-lfw"]
    assert ids(search.search(lfw, "near NOT and")) == [alert.pk]
    assert ids(search.search(lfw, '"courier" (cash) gate*')) == [alert.pk]


@pytest.mark.parametrize("query", ["", "   ", "\n\t", '"', "*", "()", "-", "...", None])
def test_a_query_without_words_finds_nothing(users, query):
    send(users["officer-gru"])
    assert search.search(users["officer-lfw"], query) == []


def test_newest_first_and_limit(users):
    first = send(users["officer-gru"])
    second = send(users["officer-gru"])
    lfw = users["officer-lfw"]
    assert ids(search.search(lfw, "courier")) == [second.pk, first.pk]
    assert ids(search.search(lfw, "courier", limit=1)) == [second.pk]


def test_indexing_is_idempotent_and_follows_changes(users):
    alert = send(users["officer-gru"])
    search.index_alert(alert)
    search.index_alert(alert)
    assert entry_count(alert.pk) == 1
    Alert.objects.filter(pk=alert.pk).update(title="Renamed")
    alert.refresh_from_db()
    search.index_alert(alert)
    assert entry_count(alert.pk) == 1
    lfw = users["officer-lfw"]
    assert search.search(lfw, "ingestion") == []
    assert ids(search.search(lfw, "renamed")) == [alert.pk]


def test_index_rolls_back_with_the_callers_transaction(users):
    from django.db import transaction

    alert = send(users["officer-gru"])
    with pytest.raises(RuntimeError), transaction.atomic():
        services.post_message(user=users["officer-lfw"], alert=alert, body="Zanzibar connection")
        search.index_alert(alert)
        raise RuntimeError
    assert search.search(users["officer-lfw"], "zanzibar") == []
    assert ids(search.search(users["officer-lfw"], "courier")) == [alert.pk]


def test_deleted_alerts_leave_the_index(users):
    alert = send(users["officer-gru"])
    alert_id = alert.pk
    Alert.objects.filter(pk=alert_id).delete()
    search.unindex_alert(alert_id)  # on PostgreSQL the foreign key has already removed it
    assert entry_count(alert_id) == 0
    assert search.search(users["officer-lfw"], "courier") == []


def test_inactive_or_anonymous_users_find_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    send(users["officer-gru"])
    lfw = users["officer-lfw"]
    lfw.is_active = False
    assert search.search(lfw, "courier") == []
    assert search.search(AnonymousUser(), "courier") == []
    assert search.search(None, "courier") == []


def test_folding():
    assert search.words("São PAULO, São-Paulo") == ["sao", "paulo"]
    assert search.words("Straße ﬁne Ｗｉｄｅ") == ["strasse", "fine", "wide"]
    assert search.words("İstanbul") == ["istanbul"]
    assert search.words("مـصطفى") == search.words("مصطفي")
    assert search.words('a_b "c" d*e (f) NEAR/2') == ["a", "b", "c", "d", "e", "f", "near", "2"]
