"""The screening engine (screening/matcher): names across scripts and spellings, the other
evidence, explanations, and the stateless `aircop screen` command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aircop.screening.matcher import engine, normalise
from aircop.screening.matcher.engine import Entry, Index, Person


@pytest.mark.parametrize(
    "spellings",
    [
        ["Mohammed", "Muhammad", "Mohamed", "محمد", "Мухаммед"],
        ["Ibrahim", "إبراهيم", "Ибрагим"],
        ["Hussein", "Husayn", "حسين", "Хусейн"],
        ["Abdullah", "Abd Allah", "عبد الله"],
        ["Youssef", "Yusuf", "يوسف", "Юсуф"],
    ],
)
def test_spellings_and_scripts_of_one_name_share_a_consonant_skeleton(spellings):
    keys = []
    for text in spellings:
        name = normalise.parse(text)
        assert len(name.key_tokens) == 1, name
        keys.append(set(normalise.skeletons(name.key_tokens[0], name.cyrillic)))
    assert set.intersection(*keys), (spellings, keys)


def test_folding_removes_case_marks_titles_and_joins_particles():
    assert normalise.fold("  MÜLLER-Lüdenscheidt ") == "muller ludenscheidt"
    assert normalise.parse("Mr. Osama bin Laden").key_tokens == ("osama", "binladen")
    assert normalise.parse("أسامة بن لادن").key_tokens == ("smh", "bnldn")


@pytest.fixture(scope="module")
def index():
    return Index(
        [
            Entry(
                "W1", ["محمد عبد الله", "Mohammed Abdullah"], "1980-05-17", "SDN", "M", [("P1234567", "SDN")]
            ),
            Entry("W2", ["Ибрагим Хусейн"], "1975", "RUS", "M"),
            Entry("W3", ["John Smith"], "1970-01-02", "GBR", "M"),
            Entry("W4", ["Maria Gonzalez"], "", "COL", "F", [("AB123456", "COL")]),
            Entry("W5", ["Mohammed Ali Hassan"], "1990-07-01", "EGY", "M"),
        ]
    )


def ids(hits):
    return [h.entry_id for h in hits]


def test_cross_script_and_spelling_variants_are_found_with_their_reasons(index):
    hits = index.screen(Person("P1", "MUHAMMAD", "ABDALLAH", date(1980, 5, 17), "SDN", "M"))
    assert ids(hits) == ["W1"] and hits[0].score >= 0.95
    assert any("date of birth: same" in r for r in hits[0].reasons)
    assert "muhammad ~" in hits[0].reasons[0]
    # Cyrillic entry, Latin traveller, year-only date of birth on the list.
    hits = index.screen(Person("P2", "HUSSEIN", "IBRAHIM", date(1975, 3, 3), "RUS", "M"))
    assert ids(hits) == ["W2"]
    assert any("same year (the list gives the year only)" in r for r in hits[0].reasons)


def test_date_swaps_missing_middle_names_and_typos(index):
    swapped = index.screen(Person("P3", "SMITH", "JOHN", date(1970, 2, 1), "GBR", "M"))
    assert ids(swapped) == ["W3"] and any("swapped" in r for r in swapped[0].reasons)
    # A missing middle name costs little; a typo in the surname too.
    assert ids(index.screen(Person("P6", "HASAN", "MOHAMMED", date(1990, 7, 1), "EGY", "M"))) == ["W5"]


def test_hard_negatives_stay_below_the_threshold(index):
    # Similar names, other date of birth, nationality and sex: not the listed person.
    assert index.screen(Person("P4", "SMYTHE", "JON", date(1985, 2, 1), "USA", "M")) == []
    assert index.screen(Person("P7", "GONZALEZ", "MARIO", date(1990, 1, 1), "ESP", "M")) == []
    # The score of the near miss is still explained when asked for with a low threshold.
    low = index.screen(Person("P4", "SMYTHE", "JON", date(1985, 2, 1), "USA", "M"), threshold=0.3)
    assert ids(low) == ["W3"] and any("date of birth: different" in r for r in low[0].reasons)


def test_documents_match_exactly_or_one_character_off_for_the_same_country(index):
    exact = index.screen(Person("P8", "X", "Y", None, "", "", [("P1234567", "SDN")]))
    assert ids(exact) == ["W1"] and exact[0].score >= 0.97
    near = index.screen(Person("P5", "LOPEZ", "ANA", None, "COL", "F", [("AB123457", "COL")]))
    assert ids(near) == ["W4"] and "one character" in near[0].reasons[-1]
    # The same number issued by another country is another document.
    assert index.screen(Person("P9", "X", "Y", None, "", "", [("P1234567", "EGY")])) == []


W_CSV = (
    "id,names,date_of_birth,nationality,sex,document_number,document_country\n"
    "W1,محمد عبد الله|Mohammed Abdullah,1980-05-17,SDN,M,P1234567,SDN\n"
    "W2,Ибрагим Хусейн,1975,RUS,M,,\n"
)
P_CSV = (
    "id,surname,given_names,date_of_birth,nationality,sex,document_number,document_country\n"
    "A,MUHAMMAD,ABDALLAH,1980-05-17,SDN,M,,\n"
    "B,DOE,JANE,1990-01-01,USA,F,,\n"
)


def test_the_stateless_command_prints_json_hits(tmp_path, capsys):
    w, p = tmp_path / "w.csv", tmp_path / "p.csv"
    w.write_text(W_CSV, encoding="utf-8")
    p.write_text(P_CSV, encoding="utf-8")
    call_command("screen", "--watchlist", str(w), "--passengers", str(p), "--json")
    hits = json.loads(capsys.readouterr().out)
    assert [(h["passenger_id"], h["watchlist_id"]) for h in hits] == [("A", "W1")]
    assert 0 <= hits[0]["score"] <= 1 and hits[0]["reasons"]
    assert engine.DEFAULT_THRESHOLD == 0.8


def test_the_stateless_command_reports_bad_files_with_line_numbers(tmp_path, capsys):
    w, p = tmp_path / "w.csv", tmp_path / "p.csv"
    w.write_text(W_CSV.replace("1975,RUS", "19755,RUS"), encoding="utf-8")
    p.write_text("id,given_names\nA,JANE\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("screen", "--watchlist", str(w), "--passengers", str(p))
    assert failed.value.returncode == 2
    assert "w.csv, line 3, column date_of_birth" in capsys.readouterr().err
    w.write_text(W_CSV, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("screen", "--watchlist", str(w), "--passengers", str(p))
    assert "p.csv, line 1, column surname: required column missing" in capsys.readouterr().err


def test_what_the_accuracy_bench_found():
    # Arabic "عمر" (Omar) folds to "mr", which is no title in Arabic script.
    assert normalise.parse("عمر مصطفى").key_tokens == ("mr", "mstfa")
    assert normalise.parse("Mr Omar").key_tokens == ("omar",)
    # Cyrillic "дж" is the j of Jamal, not a d and a z.
    jamal = {
        normalise.skeletons(normalise.parse(t).key_tokens[0], True)[0] for t in ("Джамал", "Jamal", "جمال")
    }
    assert jamal == {"gml"}
    # A repeated name counts once for finding candidates: MOHAMMAD MOHAMMAD does not make every
    # entry with one Mohammed a candidate.
    index = Index([Entry("M1", ["Mohammed Karimov"], "1970"), Entry("M2", ["Mohammad Mohammad"], "1980")])
    hits = index.screen(Person("P", "MOHAMMAD", "MOHAMMAD"), threshold=0.0)
    assert ids(hits)[0] == "M2" and "M1" not in ids(hits)


def test_a_namesake_born_another_year_is_no_hit_at_the_default_threshold(index):
    same = Person("P", "Smith", "John", date(1970, 1, 2), "GBR", "M")
    other = Person("P", "Smith", "John", date(1984, 6, 9), "GBR", "M")
    assert ids(index.screen(same)) == ["W3"]
    assert index.screen(other) == []
    # ... but a list with a low threshold still sees it, and says why the score is low.
    (hit,) = index.screen(other, threshold=0.5)
    assert "date of birth: different" in hit.reasons


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_the_cut_by_year_of_birth_never_drops_a_hit(threshold):
    entries = [Entry(f"W{y}", ["Ahmed Hassan"], str(y), "EGY", "M") for y in range(1950, 2000)]
    entries += [Entry("WX", ["Ahmed Hassan"], "", "EGY", "M")]
    index = Index(entries)
    person = Person("P", "Hassan", "Ahmed", date(1975, 3, 1), "EGY", "M")
    window = index._year_window(person, threshold)
    everything = [h for h in index.screen(person, 0.0) if h.score >= threshold]
    assert ids(index.screen(person, threshold)) == ids(everything)
    assert (window is None) == (threshold <= 0.73)


@pytest.mark.parametrize(
    ("listed", "born", "expected"),
    [
        ("1980-05-17", date(1980, 5, 17), engine.DOB_SAME),
        ("1980-05-17", date(1991, 2, 3), engine.DOB_DIFFERENT),
        ("1980-05-07", date(1980, 7, 5), engine.DOB_SWAPPED),
        ("1980-05-17", date(1981, 5, 17), engine.DOB_YEAR_SLIP),
        ("1980-05-17", date(1980, 9, 1), engine.DOB_OTHER_DAY),
        ("1980-05", date(1980, 5, 30), engine.DOB_SAME_MONTH),
        ("1980", date(1980, 12, 31), engine.DOB_SAME_YEAR),
        ("1980", date(1979, 12, 31), engine.DOB_DIFFERENT),
    ],
)
def test_date_of_birth_evidence(listed, born, expected):
    change, reason = engine.dob_evidence(engine._dob(listed), born)
    assert change == expected and reason.startswith("date of birth")


def test_west_african_spellings_meet():
    keys = [set(normalise.skeletons(t, False)) for t in ("diallo", "jallow", "djalo", "jalloh")]
    assert set.intersection(*keys)
    # Doubled letters collapse before the vowels go: these stay apart.
    assert normalise.skeleton("traore") != normalise.skeleton("ouattara")
    assert normalise.skeleton("mamadou") != normalise.skeleton("modou")
