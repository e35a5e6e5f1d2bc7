from zoneinfo import ZoneInfo

from django import template
from django.templatetags.tz import do_timezone

register = template.Library()


@register.filter
def in_tz(value, tz_name):
    """A UTC datetime shown in an airport's time zone: ``{{ alert.valid_until|in_tz:alert.destination.tz }}``."""
    if not value:
        return value
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (KeyError, ValueError):
        return value
    # Django's |date converts every aware datetime back to the active time zone (UTC) unless
    # the value is marked as already converted, which do_timezone does.
    return do_timezone(value, zone)


@register.filter
def tlp_label(value):
    return {
        "clear": "TLP:CLEAR",
        "green": "TLP:GREEN",
        "amber": "TLP:AMBER",
        "amber_strict": "TLP:AMBER+STRICT",
        "red": "TLP:RED",
    }.get(value, value)
