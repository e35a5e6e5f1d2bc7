from datetime import UTC, datetime

from django.template import Context, Template


def test_in_tz_survives_the_date_filter():
    """|date converts aware datetimes back to UTC unless told the value is already local."""
    moment = datetime(2026, 3, 14, 19, 33, tzinfo=UTC)
    rendered = Template(
        "{% load aircop %}{{ v|in_tz:'America/Sao_Paulo'|date:'H:i' }} {{ v|in_tz:'Africa/Lome'|date:'H:i' }}"
    )
    assert rendered.render(Context({"v": moment})) == "16:33 19:33"
    assert (
        Template("{% load aircop %}{{ v|in_tz:'Not/AZone'|date:'H:i' }}").render(Context({"v": moment}))
        == "19:33"
    )
