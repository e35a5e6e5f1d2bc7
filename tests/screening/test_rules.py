"""Risk rules (screening/rules): the language (tokenizer, parser, types, limits, evaluation,
explanations), the human-rights guard and the context of one traveller. No test here touches
the database: pytest-django refuses any query outside the ``db`` fixture, so the context
builder is also proved to make none."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aircop.passengers.models import Booking, Flight, TravelDocument, Traveller
from aircop.screening.rules import FIELDS, PROTECTED, Category, RuleError, Type, guard, language
from aircop.screening.rules.context import context_for
from aircop.screening.rules.fields import protected_word
from aircop.screening.rules.language import (
    And,
    Compare,
    Const,
    Flag,
    Not,
    Or,
    evaluate,
    explain,
    parse,
    truth,
)


def error(text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse(text)
    return caught.value


# ============================================================================= literals and tokens
def test_texts_in_double_or_single_quotes_with_escapes():
    rule = parse(r'traveller.place_of_birth == "SAO \"PAULO\" \\ X"')
    assert rule.ast == Compare("traveller.place_of_birth", "==", 'SAO "PAULO" \\ X')
    rule = parse(r"traveller.place_of_birth == 'D\'AVILA'")
    assert rule.ast.value == "D'AVILA"
    assert rule.text == 'traveller.place_of_birth == "D\'AVILA"'
    assert parse(rule.text).ast == rule.ast


def test_integers_decimals_and_negative_numbers():
    assert parse("booking.hours_before_departure < 48").ast.value == 48
    assert parse("booking.hours_before_departure < 47.5").ast.value == 47.5
    assert parse("document.expires_in_days < -1").ast.value == -1
    assert parse("booking.stay_days <= 3.0").text == "booking.stay_days <= 3"


def test_lists_of_texts_and_numbers():
    rule = parse('route.countries has any ["COL", "VEN",]')
    assert rule.ast == Compare("route.countries", "has any", ("COL", "VEN"))
    assert parse("traveller.checked_bags in [0, 1]").ast.value == (0, 1)
    assert error("booking.travel_agency in []").message == "column 26: the list is empty"
    assert error("route.countries has all [ ]").message == "column 25: the list is empty"


def test_true_and_false_are_conditions():
    assert parse("true").ast == Const(True)
    assert parse("FALSE or booking.one_way").ast == Or((Const(False), Flag("booking.one_way")))


def test_keywords_and_field_names_are_case_insensitive():
    a = parse('Booking.One_Way AND NOT Booking.Paid_Cash OR Route.Countries HAS ANY ["COL"]')
    b = parse('booking.one_way and not booking.paid_cash or route.countries has any ["COL"]')
    assert a.ast == b.ast and a.text == b.text


# ============================================================================= parser errors
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "booking.one_way and booking.paid_csh",
            "column 21: unknown field 'booking.paid_csh' (did you mean booking.paid_cash?)",
        ),
        ("one_way", "column 1: unknown field 'one_way' (did you mean booking.one_way?)"),
        ("passenger.shoe_size > 3", "column 1: unknown field 'passenger.shoe_size'"),
        ("", "column 1: the rule is empty"),
        ("   ", "column 1: the rule is empty"),
        (
            "booking.one_way booking.paid_cash",
            "column 17: expected 'and', 'or' or the end of the rule, found",
        ),
        (
            "(booking.one_way",
            "column 17: expected ')' to close the '(' of column 1, found the end of the rule",
        ),
        ("booking.one_way)", "column 16: this ')' closes no '('"),
        ("booking.one_way and", "column 20: expected a field, 'not', 'true', 'false' or '(', found the end"),
        ("booking.hours_before_departure <", "column 33: expected a value"),
        ("booking.one_way = true", "column 17: '=' is not an operator of the rule language: write '=='"),
        (
            "booking.one_way && flight.long_haul",
            "column 17: '&&' is not an operator of the rule language: write 'and'",
        ),
        (
            "booking.one_way || flight.long_haul",
            "column 17: '||' is not an operator of the rule language: write 'or'",
        ),
        ("!booking.one_way", "column 1: '!' is not an operator of the rule language: write 'not'"),
        ("traveller.age <> 3", "column 15: '<>' is not an operator of the rule language: write '!='"),
        ("booking.one_way; drop", "column 16: unexpected character ';'"),
        ('traveller.sex == "F', 'column 18: this text is not closed: a " is missing'),
        ("traveller.sex == 'F\n' and x", "column 18: this text is not closed: a ' is missing"),
        (r'traveller.sex == "F\n"', r"column 20: unknown escape '\\n' in a text"),
        ("booking.stay_days < 1.2.3", "column 21: '1.2.3' is not a number"),
        ("booking.stay_days < 12abc", "column 21: '12abc' is not a number"),
        ("booking. one_way", "column 8: a field name cannot end with '.'"),
        ('route.countries has ["COL"]', "column 21: expected 'any' or 'all' after 'has', found '['"),
        ('route.countries any ["COL"]', "column 17: write 'has any'"),
        ('traveller.place_of_birth starts "BO"', "column 33: expected 'with' after 'starts'"),
        ('traveller.nationality not ["COL"]', "column 27: expected 'in' after traveller.nationality not"),
        (
            'traveller.nationality in "COL"',
            'column 26: expected a list such as ["COL", "VEN"], found \'"COL"\'',
        ),
        ('traveller.nationality in ["COL", ["VEN"]]', "column 34: lists cannot be nested"),
        ('traveller.nationality in ["COL" "VEN"]', "column 33: expected ',' or ']' in the list"),
        (
            'traveller.nationality in ["COL", true]',
            "column 34: a list holds texts in quotes or numbers, found 'true'",
        ),
        ('traveller.nationality in ["COL"', "column 32: the list opened at column 26 is not closed"),
        (
            'traveller.nationality == ["COL"]',
            "column 26: a list goes only after in, not in, has any and has all",
        ),
        ("48 > booking.hours_before_departure", "column 1: expected a field, 'not', 'true', 'false' or '('"),
        ('__import__("os")', "column 1: unknown field '__import__'"),
        ('__import__("os").system("ls")', "column 17: unexpected character '.'"),
        ("exec('x')", "column 1: unknown field 'exec'"),
    ],
)
def test_syntax_errors_name_the_column_and_the_problem(text, message):
    assert error(text).message.startswith(message), error(text).message


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        (
            'booking.hours_before_departure == "abc"',
            35,
            'booking.hours_before_departure is a number and cannot be compared with the text "abc"',
        ),
        (
            "traveller.nationality == 5",
            26,
            "traveller.nationality is a text and cannot be compared with the number 5",
        ),
        ("traveller.nationality == true", 26, "cannot be compared with the value true"),
        ('traveller.nationality < "X"', 23, "'<' does not apply to traveller.nationality, which is a text"),
        ('route.countries == "COL"', 17, "'==' does not apply to route.countries, which is a list of texts"),
        ('route.countries in ["COL"]', 17, "'in' does not apply to route.countries"),
        ('traveller.nationality has any ["COL"]', 23, "'has any' does not apply to traveller.nationality"),
        ("traveller.age contains 3", 15, "'contains' does not apply to traveller.age, which is a number"),
        ('traveller.age starts with "3"', 15, "'starts with' does not apply to traveller.age"),
        ('booking.one_way == "yes"', 20, "booking.one_way is a yes/no indicator: write it alone"),
        ("booking.one_way in [1]", 17, "booking.one_way is a yes/no indicator"),
        ("booking.one_way < 3", 17, "booking.one_way is a yes/no indicator"),
        ("traveller.nationality", 1, "traveller.nationality is a text, not a yes/no indicator"),
        ("booking.stay_days and booking.one_way", 1, "booking.stay_days is a number, not a yes/no indicator"),
        ('flight.departure_date > "14/03/2026"', 25, 'is not a date: write dates as "YYYY-MM-DD"'),
        ('flight.departure_date > "2026-02-30"', 25, "is not a date"),
        ('flight.departure_date in ["2026-01-01"]', 23, "'in' does not apply to flight.departure_date"),
        ('traveller.checked_bags in [1, "2"]', 31, 'cannot be compared with the text "2"'),
        ('traveller.sex == "U"', 18, '"U" is not a sex code: use "M", "F" or "X"'),
    ],
)
def test_types_are_checked_against_the_catalogue(text, column, message):
    caught = error(text)
    assert caught.position == column, caught.message
    assert message in caught.problem
    assert caught.message == f"column {column}: {caught.problem}"


def test_rule_error_carries_message_and_position():
    caught = RuleError("something is wrong", 17)
    assert (caught.message, caught.position, caught.problem) == (
        "column 17: something is wrong",
        17,
        "something is wrong",
    )
    assert str(caught) == caught.message
    assert RuleError("no place").message == "no place"


def test_a_rule_on_several_lines_reports_line_and_column():
    caught = error('booking.one_way\n  and traveller.nationalty == "NGA"')
    assert caught.position == 23
    assert caught.message.startswith("line 2, column 7: unknown field 'traveller.nationalty'")
    assert "did you mean traveller.nationality?" in caught.message


def test_unknown_codes_are_warnings_and_codes_are_normalised():
    rule = parse('traveller.nationality in ["co", "VEN", "X"] and route.airports contains "lfw"')
    assert rule.ast.operands[0].value == ("COL", "VEN", "X")
    assert rule.ast.operands[1].value == "LFW"
    assert rule.warnings == ('column 40: "X" is not an ISO 3166 country code: it will never match',)
    assert parse('route.airports contains "QQQ" and booking.one_way').warnings == (
        'column 25: "QQQ" is not a known IATA airport code: it will never match',
    )
    # starts with and the substring test of a text compare the text as written
    assert parse('traveller.residence_country starts with "co"').ast.value == "co"


# ============================================================================= limits
def test_a_rule_of_2000_characters_is_read_and_2001_is_refused():
    body = "booking.one_way"
    text = body + " " * (2000 - len(body))
    assert parse(text).text == body
    caught = error(text + " ")
    assert caught.position == 2001
    assert "2001 characters long; at most 2000 are allowed" in caught.message


def test_nesting_is_limited_to_20_levels_without_recursion_error():
    assert parse("(" * 20 + "booking.one_way" + ")" * 20).ast == Flag("booking.one_way")
    caught = error("(" * 21 + "booking.one_way" + ")" * 21)
    assert caught.position == 21 and "nested more than 20 levels" in caught.message
    assert "nested more than 20" in error("not " * 21 + "booking.one_way").message
    assert "nested more than 20" in error("(not " * 11 + "booking.one_way" + ")" * 11).message
    # far deeper than Python's recursion limit would allow, yet only a RuleError
    assert "nested more than 20" in error("(" * 999 + "x" + ")" * 999).message
    assert "nested more than 20" in error("not " * 499 + "x").message


def test_long_flat_rules_are_not_nesting():
    text = " and ".join(["booking.one_way"] * 100)
    assert len(parse(text).ast.operands) == 100


def test_lists_hold_at_most_500_items():
    items = ",".join(str(n % 10) for n in range(500))
    assert len(parse(f"traveller.checked_bags in [{items}]").ast.value) == 500
    caught = error(f"traveller.checked_bags in [{items},7]")
    assert caught.problem == "a list holds at most 500 items"
    assert caught.position == len(f"traveller.checked_bags in [{items},") + 1
    codes = ",".join(['""'] * 501)
    assert error(f"route.countries has any [{codes}]").problem == "a list holds at most 500 items"


# ============================================================================= canonical text
@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (
            [
                "booking.one_way and booking.hours_before_departure < 48",
                "  BOOKING.ONE_WAY   AND(booking.hours_before_departure<48.0)",
                "(booking.one_way) and booking.hours_before_departure < 48",
                "booking.one_way == true and not booking.hours_before_departure >= 48",
            ],
            "booking.one_way and booking.hours_before_departure < 48",
        ),
        (
            [
                "a_or".replace("a_or", 'route.countries has any ["COL", "VEN"]'),
                "route.countries HAS ANY ['co', 've']",
            ],
            'route.countries has any ["COL", "VEN"]',
        ),
        (
            [
                "booking.one_way and (booking.paid_cash and flight.long_haul)",
                "(booking.one_way and booking.paid_cash) and flight.long_haul",
            ],
            "booking.one_way and booking.paid_cash and flight.long_haul",
        ),
        (
            ["(booking.one_way or booking.paid_cash) and flight.long_haul"],
            "(booking.one_way or booking.paid_cash) and flight.long_haul",
        ),
        (
            [
                "booking.one_way or (booking.paid_cash and flight.long_haul)",
                "booking.one_way or booking.paid_cash and flight.long_haul",
            ],
            "booking.one_way or booking.paid_cash and flight.long_haul",
        ),
        (
            ['not traveller.nationality in ["NGA"]', 'traveller.nationality not in ["NG"]'],
            'traveller.nationality not in ["NGA"]',
        ),
        (["not not booking.one_way", "booking.one_way != false"], "booking.one_way"),
        (
            ["booking.one_way == false", "booking.one_way != true", "not booking.one_way"],
            "not booking.one_way",
        ),
        (["not true"], "false"),
        (
            ['not (route.countries contains "COL" or booking.paid_cash)'],
            'not (route.countries contains "COL" or booking.paid_cash)',
        ),
        (['not route.countries contains "COL"'], 'not route.countries contains "COL"'),
        (["not (booking.stay_days > 3)"], "booking.stay_days <= 3"),
    ],
)
def test_spellings_of_one_rule_render_alike_and_read_back(spellings, canonical):
    for text in spellings:
        rule = parse(text)
        assert rule.text == canonical, text
        assert parse(rule.text).ast == rule.ast
        assert rule.source == text
        assert str(rule) == canonical


def test_precedence_not_binds_tightest_then_and_then_or():
    rule = parse("not booking.one_way and booking.paid_cash or flight.long_haul")
    assert rule.ast == Or(
        (And((Not(Flag("booking.one_way")), Flag("booking.paid_cash"))), Flag("flight.long_haul"))
    )


def test_rule_lists_the_fields_it_uses():
    rule = parse(
        'traveller.nationality == "NGA" and (booking.one_way or not booking.paid_cash) and booking.one_way'
    )
    assert rule.fields == {"traveller.nationality", "booking.one_way", "booking.paid_cash"}


# ============================================================================= evaluation
CTX = {
    "booking.one_way": True,
    "booking.paid_cash": False,
    "booking.hours_before_departure": 20.0,
    "booking.stay_days": 3,
    "booking.travel_agency": "20512345/SAOB22118",
    "traveller.nationality": "NGA",
    "traveller.place_of_birth": "Bogotá",
    "traveller.age": 34,
    "route.countries": ["BRA", "ETH", "TGO"],
    "route.origin_country": "BRA",
    "flight.departure_date": date(2026, 3, 14),
    "flight.long_haul": None,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("booking.one_way", True),
        ("booking.paid_cash", False),
        ("not booking.paid_cash", True),
        ("booking.hours_before_departure == 20", True),
        ("booking.hours_before_departure != 20", False),
        ("booking.hours_before_departure < 48", True),
        ("booking.hours_before_departure <= 20", True),
        ("booking.hours_before_departure > 20", False),
        ("booking.hours_before_departure >= 20.0", True),
        ("booking.stay_days in [1, 2, 3]", True),
        ("booking.stay_days not in [1, 2, 3]", False),
        ('traveller.nationality == "nga"', True),
        ('traveller.nationality != "NGA"', False),
        ('traveller.nationality in ["GHA", "NG"]', True),
        ('traveller.nationality not in ["GHA"]', True),
        ('traveller.place_of_birth == "BOGOTA"', True),
        ('traveller.place_of_birth contains "gOt"', True),
        ('traveller.place_of_birth starts with "bog"', True),
        ('traveller.place_of_birth starts with "ota"', False),
        ('booking.travel_agency starts with "20512345"', True),
        ('route.countries contains "TG"', True),
        ('route.countries contains "COL"', False),
        ('route.countries has any ["COL", "ETH"]', True),
        ('route.countries has any ["COL", "VEN"]', False),
        ('route.countries has all ["ETH", "BRA"]', True),
        ('route.countries has all ["ETH", "COL"]', False),
        ('route.origin_country in ["BR", "CO"]', True),
        ('flight.departure_date >= "2026-03-14"', True),
        ('flight.departure_date < "2026-03-14"', False),
        ('flight.departure_date == "2026-03-14"', True),
        ("true", True),
        ("false", False),
    ],
)
def test_every_operator(text, expected):
    assert truth(parse(text).ast, CTX) is expected
    assert parse(text).evaluate(CTX) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("flight.long_haul", None),  # None in the context
        ("not flight.long_haul", None),
        ("document.expires_in_days < 30", None),  # absent from the context
        ('document.type == "P"', None),
        ('document.type != "P"', None),
        ('traveller.residence_country in ["COL"]', None),
        ('traveller.residence_country not in ["COL"]', None),
        ('route.airports contains "LFW"', None),
        # Kleene: false wins an and, true wins an or, otherwise unknown stays unknown
        ("flight.long_haul and booking.paid_cash", False),
        ("flight.long_haul and booking.one_way", None),
        ("flight.long_haul or booking.one_way", True),
        ("flight.long_haul or booking.paid_cash", None),
        ("not (flight.long_haul or booking.paid_cash)", None),
        ("not (flight.long_haul and booking.paid_cash)", True),
        ("flight.long_haul or not flight.long_haul", None),
    ],
)
def test_unknown_values_follow_three_valued_logic(text, expected):
    rule = parse(text)
    assert rule.truth(CTX) is expected
    assert rule.evaluate(CTX) is (expected is True)  # fires only when definitely true


def test_a_value_of_the_wrong_type_in_the_context_is_unknown():
    assert parse("booking.stay_days < 4").truth({"booking.stay_days": "three"}) is None
    assert parse("booking.stay_days < 4").truth({"booking.stay_days": True}) is None
    assert parse('route.countries contains "COL"').truth({"route.countries": "COL"}) is None
    assert parse("booking.one_way").truth({"booking.one_way": "false"}) is None
    assert parse('flight.departure_date < "2026-01-01"').truth({"flight.departure_date": "soon"}) is None
    assert (
        parse('flight.departure_date < "2026-01-01"').truth({"flight.departure_date": "2025-12-31"}) is True
    )
    assert parse('flight.departure_date < "2026-01-01"').truth(
        {"flight.departure_date": datetime(2025, 12, 31, 23, tzinfo=UTC)}
    )


def test_evaluate_and_explain_accept_a_rule_or_its_ast():
    rule = parse("booking.one_way")
    assert evaluate(rule, CTX) and evaluate(rule.ast, CTX)
    assert explain(rule, CTX) == explain(rule.ast, CTX) == ["booking.one_way is true"]


# ============================================================================= explanations
def test_explain_lists_the_tests_that_made_the_rule_fire_with_their_values():
    rule = parse(
        'route.origin_country in ["BRA", "COL"] and booking.hours_before_departure < 48 and booking.one_way '
        'and not booking.paid_cash and traveller.nationality == "NGA" and route.countries has any ["TGO", "GHA"]'
    )
    assert rule.explain(CTX) == [
        'route.origin_country = "BRA" in ["BRA", "COL"]',
        "booking.hours_before_departure = 20 < 48",
        "booking.one_way is true",
        "booking.paid_cash is false",
        'traveller.nationality = "NGA"',
        'route.countries = ["BRA", "ETH", "TGO"] has any ["TGO", "GHA"]',
    ]


def test_explain_names_only_the_branches_that_were_true():
    rule = parse("(booking.paid_cash or booking.one_way or flight.long_haul) and booking.stay_days < 4")
    assert rule.explain(CTX) == ["booking.one_way is true", "booking.stay_days = 3 < 4"]


def test_explain_of_negated_groups_says_why_each_part_was_false():
    rule = parse(
        'not (booking.paid_cash or route.countries contains "COL" or traveller.place_of_birth starts with "X") '
        "and not (booking.paid_cash and flight.long_haul)"
    )
    assert rule.explain(CTX) == [
        "booking.paid_cash is false",
        'route.countries = ["BRA", "ETH", "TGO"] does not contain "COL"',
        'traveller.place_of_birth = "Bogotá" does not start with "X"',
    ]
    assert parse('not route.countries has any ["COL"]').explain(CTX) == [
        'route.countries = ["BRA", "ETH", "TGO"] has none of ["COL"]'
    ]
    assert parse('not route.countries has all ["BRA", "COL"]').explain(CTX) == [
        'route.countries = ["BRA", "ETH", "TGO"] does not have all of ["BRA", "COL"]'
    ]


def test_explain_is_empty_when_the_rule_does_not_fire_or_is_unknown():
    assert parse("booking.paid_cash and booking.one_way").explain(CTX) == []
    assert parse("flight.long_haul and booking.one_way").explain(CTX) == []


# ============================================================================= the guard
@pytest.mark.parametrize(
    "text",
    [
        'traveller.nationality == "NGA" and booking.one_way',
        '(traveller.nationality in ["X"] or traveller.sex == "M") and booking.one_way',
        "booking.one_way",
        "traveller.age < 30 and booking.hours_before_departure < 48 and flight.long_haul",
        'not (booking.one_way or traveller.sex == "F")',  # = not one_way and sex != F
        'traveller.sex == "F" and (booking.paid_cash or booking.one_way)',
        '(traveller.sex == "F" or booking.paid_cash) and booking.one_way',
        'traveller.nationality == "NGA" and not booking.paid_cash',
        "false",
        "traveller.age < 25 and false",  # can never fire
        'route.countries has any ["COL", "VEN", "BOL", "PER"] and booking.checked_bags == 0 and flight.long_haul',
    ],
)
def test_guard_accepts_rules_whose_every_way_to_fire_has_a_travel_indicator(text):
    rule = parse(text)
    assert guard.check(rule) == []
    assert guard.parse_allowed(text).ast == rule.ast


@pytest.mark.parametrize(
    ("text", "branches"),
    [
        ('traveller.nationality == "NGA"', ['traveller.nationality == "NGA"']),
        ('traveller.sex == "F" or booking.paid_cash', ['traveller.sex == "F"']),
        (
            'traveller.nationality == "NGA" and traveller.sex == "M" and traveller.age < 30',
            ['traveller.nationality == "NGA" and traveller.sex == "M" and traveller.age < 30'],
        ),
        ('not (booking.one_way and traveller.sex == "F")', ['traveller.sex != "F"']),
        (
            'document.type == "P" and document.expires_in_days < 90',
            ['document.type == "P" and document.expires_in_days < 90'],
        ),
        ("true", ["true"]),
        ("booking.one_way or true", ["true"]),
        (
            'traveller.age < 25 or traveller.sex == "M" or booking.one_way',
            ["traveller.age < 25", 'traveller.sex == "M"'],
        ),
        (
            '(traveller.nationality == "NGA" or booking.one_way) and (traveller.sex == "M" or booking.paid_cash)',
            [
                '(traveller.nationality == "NGA" or booking.one_way) and (traveller.sex == "M" or booking.paid_cash)'
            ],
        ),
        ('not (booking.one_way or booking.paid_cash) or traveller.sex == "X"', ['traveller.sex == "X"']),
    ],
)
def test_guard_refuses_a_branch_that_rests_on_personal_attributes_alone(text, branches):
    problems = guard.check(parse(text))
    assert len(problems) == len(branches), problems
    for problem, branch in zip(problems, branches, strict=True):
        assert f"'{branch}'" in problem
    assert any("travel" in p for p in problems)


def test_guard_message_names_the_branch_and_the_fields_and_says_why():
    (problem,) = guard.check(parse('traveller.sex == "F" or booking.paid_cash'))
    assert problem == (
        "the rule can fire on 'traveller.sex == \"F\"' alone, which uses no travel or behavioural indicator "
        "(only traveller.sex): the platform forbids targeting people on nationality, sex, age or other "
        "personal attributes alone; add a travel indicator to this part with 'and'"
    )
    with pytest.raises(RuleError) as caught:
        guard.parse_allowed('traveller.sex == "F" or booking.paid_cash')
    assert caught.value.message == problem and caught.value.position is None


def test_negation_normal_form_pushes_not_down_to_single_tests():
    ast = parse('not (booking.one_way and not (traveller.sex == "F" or route.countries contains "COL"))').ast
    assert guard.nnf(ast) == Or(
        (
            Not(Flag("booking.one_way")),
            Compare("traveller.sex", "==", "F"),
            Compare("route.countries", "contains", "COL"),
        )
    )
    assert guard.nnf(Not(Const(True))) == Const(False)


@pytest.mark.parametrize(
    "field",
    [
        "traveller.religion",
        "traveller.ethnicity",
        "traveller.ethnic_origin",
        "traveller.ethnicOrigin",
        "traveller.race",
        "traveller.tribe",
        "traveller.caste",
        "traveller.religiao",
        "traveller.ethnie",
        "traveller.raza",
        "traveller.دين",
        "booking.tribal_area",
    ],
)
def test_a_protected_field_is_refused_with_the_reason(field):
    caught = error(f'{field} == "x" and booking.one_way')
    assert caught.position == 1
    assert caught.problem.startswith(f"the field '{field}' mentions")
    assert "rules may not use religion, ethnicity or race" in caught.problem
    assert "profiling" in caught.problem
    assert "did you mean" not in caught.problem


@pytest.mark.parametrize(
    "text",
    [
        "Muslim religion",
        "ETHNIC",
        "origine ethnique",
        "race",
        "Races",
        "tribu",
        "raça",
        "Religião",
        "étnica",
        "casta",
        "القبيلة",
    ],
)
def test_a_text_mentioning_a_protected_word_is_refused(text):
    rule = parse(f"traveller.place_of_birth contains {language._literal(text)} and booking.one_way")
    (problem,) = guard.check(rule)
    assert problem.startswith(f"the text {language._literal(text)} mentions")
    assert "the platform forbids profiling people on protected attributes" in problem
    with pytest.raises(RuleError):
        guard.parse_allowed(rule.source)
    listed = parse(f'route.countries has any ["COL", {language._literal(text)}] and booking.one_way')
    assert len(guard.check(listed)) == 1


@pytest.mark.parametrize(
    "text",
    ["Castelo Branco", "Tribunal", "distribution", "Grace", "Racine", "Bogotá", "ethos", "Casteljaloux"],
)
def test_ordinary_words_are_not_taken_for_protected_ones(text):
    assert protected_word(text) is None
    assert (
        guard.check(parse(f"traveller.place_of_birth == {language._literal(text)} and booking.one_way")) == []
    )


def test_protected_words_cover_four_languages_and_are_never_fields():
    for word in ("religion", "ethnicity", "ethnic origin", "race", "tribe", "caste"):
        assert word in PROTECTED
    for word in ("ethnie", "religión", "raza", "religião", "raça", "tribo", "etnia", "casta", "tribu"):
        assert word in PROTECTED
    for name, spec in FIELDS.items():
        assert protected_word(name) is None, name
        assert spec.name == name and name.count(".") == 1


# ============================================================================= the catalogue
def test_catalogue_fields_have_a_type_a_category_and_a_translatable_description():
    wanted = {
        "route.origin_country",
        "route.countries",
        "route.airports",
        "flight.departure_airport",
        "flight.arrival_airport",
        "flight.long_haul",
        "flight.distance_km",
        "booking.hours_before_departure",
        "booking.one_way",
        "booking.paid_cash",
        "booking.travel_agency",
        "booking.checked_bags",
        "traveller.checked_bags",
        "booking.stay_days",
        "traveller.in_transit",
        "traveller.nationality",
        "traveller.sex",
        "traveller.age",
        "traveller.residence_country",
        "traveller.place_of_birth",
        "document.type",
        "document.issuing_country",
        "document.expires_in_days",
    }
    assert wanted <= set(FIELDS)
    for spec in FIELDS.values():
        assert isinstance(spec.type, Type) and isinstance(spec.category, Category)
        assert str(spec.description) and "\n" not in str(spec.description)
        assert type(spec.description).__name__ == "__proxy__"  # gettext_lazy
    person = {n for n, s in FIELDS.items() if s.category == Category.PERSON}
    assert person == {
        "traveller.nationality",
        "traveller.sex",
        "traveller.age",
        "traveller.date_of_birth",
        "traveller.place_of_birth",
        "traveller.residence_country",
    }
    assert all(FIELDS[n].category == Category.DOCUMENT for n in FIELDS if n.startswith("document."))
    assert all(
        FIELDS[n].category == Category.TRAVEL
        for n in FIELDS
        if n.split(".")[0] in ("route", "flight", "booking")
    )


# ============================================================================= the context
def make_flight(**kw) -> Flight:
    fields = {
        "carrier": "TP",
        "number": "0088",
        "departure_date": date(2026, 3, 14),
        "departure_airport": "GRU",
        "arrival_airport": "LIS",
        "scheduled_departure": datetime(2026, 3, 14, 19, 5, tzinfo=UTC),
        "scheduled_arrival": datetime(2026, 3, 15, 5, 45, tzinfo=UTC),
    }
    return Flight(**{**fields, **kw})


def leg(dep, arr, departs=None, arrives=None, status="HK") -> dict:
    return {
        "carrier": "TP",
        "number": "1",
        "departure_airport": dep,
        "arrival_airport": arr,
        "scheduled_departure": departs,
        "scheduled_arrival": arrives,
        "status": status,
    }


ROUND_TRIP = [
    leg("GRU", "LIS", "2026-03-14T16:05:00-03:00", "2026-03-15T05:45:00+00:00"),
    leg("LIS", "LFW", "2026-03-15T08:00:00+00:00", "2026-03-15T12:00:00+00:00"),
    leg("LFW", "LIS", "2026-03-19T00:00:00+00:00", "2026-03-19T06:00:00+00:00"),
    leg("LIS", "GRU", "2026-03-19T10:00:00+00:00", "2026-03-19T16:00:00-03:00"),
]


def make_booking(flight, itinerary=ROUND_TRIP, **data) -> Booking:
    return Booking(
        flight=flight,
        record_locator="ABC123",
        booked_at=datetime(2026, 3, 13, 23, 5, tzinfo=UTC),
        data={"itinerary": itinerary, "payments": [], "bags": [], **data},
    )


def test_context_of_a_traveller_with_a_booking_and_a_document():
    flight = make_flight()
    booking = make_booking(
        flight,
        payments=[{"kind": "card", "card_type": "VI"}, {"kind": "cash", "amount": "200"}],
        travel_agency={"name": None, "code": "20512345/SAOB22118", "city": "SAO", "country": "BRA"},
        bags=[
            {"traveller": 0, "tag": "0047812345", "count": 1, "excess": False},
            {"traveller": 0, "tag": None, "count": 2, "excess": False},
            {"traveller": None, "tag": None, "count": 1, "excess": True},
        ],
    )
    traveller = Traveller(
        flight=flight,
        booking=booking,
        source="pnr",
        sex="f",
        nationality="NGA",
        residence_country="BRA",
        place_of_birth=" LAGOS ",
        date_of_birth=date(1990, 3, 15),  # 36 the day after departure
        bag_tags=["0047812345"],
    )
    documents = [
        TravelDocument(traveller=traveller, position=0, type="V", issuing_country="PRT"),
        TravelDocument(
            traveller=traveller,
            position=1,
            type="P",
            issuing_country="NGA",
            expiry_date=date(2026, 3, 1),
            issue_date=date(2026, 1, 13),
        ),
    ]
    ctx = context_for(traveller, flight, booking, documents)
    assert set(ctx) == set(FIELDS)
    assert ctx == {
        "flight.carrier": "TP",
        "flight.departure_airport": "GRU",
        "flight.arrival_airport": "LIS",
        "flight.departure_country": "BRA",
        "flight.arrival_country": "PRT",
        "flight.departure_date": date(2026, 3, 14),
        "flight.distance_km": ctx["flight.distance_km"],
        "flight.long_haul": True,
        "route.airports": ["GRU", "LIS", "LFW", "LIS", "GRU"],
        "route.countries": ["BRA", "PRT", "TGO"],
        "route.origin_airport": "GRU",
        "route.origin_country": "BRA",
        "route.destination_airport": "LFW",
        "route.destination_country": "TGO",
        "booking.hours_before_departure": 20.0,
        "booking.one_way": False,
        "booking.stay_days": 3.5,
        "booking.paid_cash": True,
        "booking.travel_agency": "20512345/SAOB22118",
        "booking.agency_country": "BRA",
        "booking.checked_bags": 3,
        "traveller.checked_bags": 1,
        "traveller.in_transit": False,
        "traveller.nationality": "NGA",
        "traveller.sex": "F",
        "traveller.age": 35,
        "traveller.date_of_birth": date(1990, 3, 15),
        "traveller.place_of_birth": "LAGOS",
        "traveller.residence_country": "BRA",
        "document.type": "P",
        "document.issuing_country": "NGA",
        "document.expiry_date": date(2026, 3, 1),
        "document.expires_in_days": -13,
        "document.days_since_issue": 60,
    }
    assert 7800 < ctx["flight.distance_km"] < 8000  # GRU-LIS


def test_a_one_way_itinerary_ends_at_its_last_airport_and_cancelled_legs_do_not_count():
    flight = make_flight()
    itinerary = [
        leg("GRU", "LIS", "2026-03-14T16:05:00-03:00"),
        leg("LIS", "LFW", "2026-03-15T08:00:00+00:00"),
        leg("LFW", "GRU", "2026-03-25T08:00:00+00:00", status="XX"),  # the return, cancelled
    ]
    ctx = context_for(Traveller(flight=flight), flight, make_booking(flight, itinerary))
    assert ctx["booking.one_way"] is True
    assert ctx["booking.stay_days"] is None
    assert ctx["route.airports"] == ["GRU", "LIS", "LFW"]
    assert ctx["route.destination_airport"] == "LFW" and ctx["route.destination_country"] == "TGO"


def test_a_domestic_connection_at_the_start_is_not_a_return():
    flight = make_flight(departure_airport="BSB", arrival_airport="GRU")
    itinerary = [leg("BSB", "CNF"), leg("CNF", "GRU"), leg("GRU", "ADD"), leg("ADD", "LFW")]
    ctx = context_for(Traveller(flight=flight), flight, make_booking(flight, itinerary))
    assert ctx["booking.one_way"] is True
    assert ctx["route.countries"] == ["BRA", "ETH", "TGO"]
    assert ctx["flight.long_haul"] is False and ctx["flight.distance_km"] < 4000


def test_without_times_the_destination_of_a_return_trip_is_its_farthest_airport():
    flight = make_flight()
    itinerary = [leg("GRU", "ADD"), leg("ADD", "LFW"), leg("LFW", "ADD"), leg("ADD", "GRU")]
    ctx = context_for(Traveller(flight=flight), flight, make_booking(flight, itinerary))
    assert ctx["booking.one_way"] is False
    assert ctx["route.destination_airport"] == "ADD"  # ADD is farther from GRU than LFW
    assert ctx["booking.stay_days"] is None


def test_context_without_a_booking_uses_the_travellers_journey_and_leaves_booking_fields_unknown():
    flight = make_flight(departure_airport="LFW", arrival_airport="ACC", legs=[])
    traveller = Traveller(
        flight=flight,
        source="api",
        embarkation="GRU",
        transit=["lfw"],
        debarkation="ACC",
        in_transit=True,
        bag_tags=[],
    )
    ctx = context_for(traveller, flight)
    assert ctx["route.airports"] == ["GRU", "LFW", "ACC"]
    assert ctx["route.countries"] == ["BRA", "TGO", "GHA"]
    assert ctx["route.origin_country"] == "BRA" and ctx["route.destination_airport"] == "ACC"
    assert ctx["flight.long_haul"] is False
    assert ctx["traveller.in_transit"] is True
    assert ctx["traveller.checked_bags"] == 0
    for name in FIELDS:
        if name.startswith("booking.") or name.startswith("document."):
            assert ctx[name] is None, name
    for name in ("traveller.sex", "traveller.nationality", "traveller.age", "traveller.place_of_birth"):
        assert ctx[name] is None, name  # blank in the record: unknown


def test_context_without_journey_data_uses_the_flights_legs():
    flight = make_flight(
        departure_airport="GRU",
        arrival_airport="LFW",
        legs=[
            {"departure_airport": "GRU", "arrival_airport": "ADD"},
            {"departure_airport": "ADD", "arrival_airport": "LFW"},
        ],
    )
    ctx = context_for(Traveller(flight=flight), flight)
    assert ctx["route.airports"] == ["GRU", "ADD", "LFW"]
    assert ctx["route.destination_country"] == "TGO"


def test_an_unknown_airport_leaves_its_country_and_the_distance_unknown():
    flight = make_flight(departure_airport="QQQ", arrival_airport="LIS")
    ctx = context_for(Traveller(flight=flight), flight)
    assert ctx["flight.departure_country"] is None
    assert ctx["flight.distance_km"] is None and ctx["flight.long_haul"] is None
    assert ctx["route.airports"] == ["QQQ", "LIS"] and ctx["route.countries"] == ["PRT"]
    assert ctx["route.origin_country"] is None


def test_payment_agency_and_bags_are_unknown_when_the_pnr_does_not_say():
    flight = make_flight()
    card_only = make_booking(flight, payments=[{"kind": "card"}])
    assert context_for(Traveller(flight=flight), flight, card_only)["booking.paid_cash"] is False
    masked = Booking(flight=flight, record_locator="masked-1", booked_at=None, data={"itinerary": ROUND_TRIP})
    ctx = context_for(Traveller(flight=flight), flight, masked)
    assert ctx["booking.paid_cash"] is None and ctx["booking.travel_agency"] is None
    assert ctx["booking.hours_before_departure"] is None and ctx["booking.checked_bags"] is None
    assert ctx["booking.one_way"] is False
    # the booking time can also come from the PNR as stored
    stored = Booking(flight=flight, record_locator="X", data={"created_at": "2026-03-12T19:05:00+00:00"})
    assert context_for(Traveller(flight=flight), flight, stored)["booking.hours_before_departure"] == 48.0


def test_context_takes_a_booking_and_documents_django_already_holds_without_a_query():
    flight = make_flight()
    booking = make_booking(flight, payments=[{"kind": "cash"}])
    traveller = Traveller(flight=flight, booking=booking)
    traveller._prefetched_objects_cache = {"documents": [TravelDocument(type="P", issuing_country="COL")]}
    ctx = context_for(traveller, flight)
    assert ctx["booking.paid_cash"] is True
    assert ctx["document.issuing_country"] == "COL"


def test_age_is_counted_in_whole_years_on_the_day_of_departure():
    flight = make_flight(departure_date=date(2026, 3, 14))
    assert context_for(Traveller(date_of_birth=date(2000, 3, 14)), flight)["traveller.age"] == 26
    assert context_for(Traveller(date_of_birth=date(2000, 3, 15)), flight)["traveller.age"] == 25
    assert context_for(Traveller(date_of_birth=date(2000, 2, 29)), flight)["traveller.age"] == 26


def test_a_rule_on_a_built_context_fires_and_explains_itself():
    flight = make_flight()
    booking = make_booking(flight, payments=[{"kind": "cash"}])
    traveller = Traveller(flight=flight, booking=booking, nationality="NGA", bag_tags=[])
    ctx = context_for(traveller, flight, booking)
    rule = guard.parse_allowed(
        'route.origin_country in ["BR", "CO", "VE"] and booking.hours_before_departure < 48 '
        "and booking.paid_cash and traveller.checked_bags == 0 and flight.long_haul "
        "and booking.stay_days < 5"
    )
    assert rule.evaluate(ctx)
    assert rule.explain(ctx) == [
        'route.origin_country = "BRA" in ["BRA", "COL", "VEN"]',
        "booking.hours_before_departure = 20 < 48",
        "booking.paid_cash is true",
        "traveller.checked_bags = 0",
        "flight.long_haul is true",
        "booking.stay_days = 3.5 < 5",
    ]
    assert not parse("booking.one_way").evaluate(ctx)


# ============================================================================= robustness
TOKENS = [
    "booking.one_way", "booking.paid_cash", "flight.long_haul", "traveller.nationality", "traveller.sex",
    "booking.hours_before_departure", "route.countries", "document.expiry_date", "flight.departure_date",
    "and", "or", "not", "in", "contains", "has", "any", "all", "starts", "with", "true", "false",
    "==", "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", ",", '"NGA"', "'co'", '"2026-01-01"', '"F"',
    "48", "-3", "2.5", "=", "!", "\\", '"', "x.y", ".", "é",
]  # fmt: skip


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join), st.text(max_size=80)))
def test_any_text_parses_or_raises_only_rule_error_and_canonical_text_reads_back(text):
    try:
        rule = parse(text)
    except RuleError as caught:
        assert caught.position is None or 1 <= caught.position <= max(len(text), 1) + 1
        return
    again = parse(rule.text)
    assert again.ast == rule.ast and again.text == rule.text
    assert isinstance(guard.check(rule), list)
    for ctx in ({}, CTX, dict.fromkeys(FIELDS, "?")):
        assert rule.truth(ctx) in (True, False, None)
        assert isinstance(rule.explain(ctx), list)


ATOMS = [
    "booking.one_way",
    "booking.paid_cash",
    "true",
    "false",
    'traveller.nationality in ["NGA", "co"]',
    'traveller.sex == "F"',
    "traveller.age < 30",
    'document.type != "P"',
    "booking.hours_before_departure < 48",
    "booking.stay_days >= 3.5",
    'route.countries has any ["COL", "TGO"]',
    'route.countries contains "BRA"',
    'traveller.place_of_birth starts with "bo"',
    'flight.departure_date >= "2026-03-01"',
]
RULES = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"{p[0]} and {p[1]}"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]} or {p[1]}"),
        inner.map(lambda r: f"not {r}"),
        inner.map(lambda r: f"({r})"),
    ),
    max_leaves=10,
)
CONTEXTS = st.fixed_dictionaries(
    {
        "booking.one_way": st.sampled_from([True, False, None]),
        "booking.paid_cash": st.sampled_from([True, False, None]),
        "traveller.nationality": st.sampled_from(["NGA", "COL", "FRA", None]),
        "traveller.sex": st.sampled_from(["F", "M", None]),
        "traveller.age": st.sampled_from([20, 30, 40, None]),
        "document.type": st.sampled_from(["P", "I", None]),
        "booking.hours_before_departure": st.sampled_from([10, 48, 100.5, None]),
        "booking.stay_days": st.sampled_from([1, 3.5, 10, None]),
        "route.countries": st.sampled_from([["BRA", "TGO"], ["FRA"], [], None]),
        "traveller.place_of_birth": st.sampled_from(["Bogotá", "Lagos", None]),
        "flight.departure_date": st.sampled_from([date(2026, 2, 1), date(2026, 3, 1), None]),
    }
)


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(RULES, CONTEXTS)
def test_canonical_text_and_negation_normal_form_keep_the_three_valued_meaning(text, ctx):
    try:
        rule = parse(text)
    except RuleError as caught:
        assert "nested more than 20 levels" in caught.message
        return
    value = rule.truth(ctx)
    assert parse(rule.text).truth(ctx) is value
    assert truth(guard.nnf(rule.ast), ctx) is value
    assert truth(Not(rule.ast), ctx) is (None if value is None else not value)
    if value is not True:
        assert rule.explain(ctx) == []
    elif rule.fields:
        assert rule.explain(ctx) or "true" in rule.text


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(RULES, CONTEXTS)
def test_a_rule_the_guard_accepts_never_fires_without_its_travel_indicators(text, ctx):
    try:
        rule = parse(text)
    except RuleError:
        return
    if guard.check(rule):
        return
    for name in list(ctx):
        if FIELDS[name].category == Category.TRAVEL:
            ctx[name] = None
    assert rule.truth(ctx) is not True, rule.text


@pytest.mark.parametrize("text", ["²", "booking.checked_bags == ٣", "booking.checked_bags == 1٣", "-²"])
def test_digits_of_other_scripts_are_a_rule_error_not_a_crash(text):
    # Found by the property test below: "²".isdigit() is true, but no number pattern reads it.
    with pytest.raises(RuleError):
        parse(text)
