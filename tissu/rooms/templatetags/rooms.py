from django import template

from tissu.rooms import reasons

register = template.Library()


@register.simple_tag
def reason_text(slot_request) -> str:
    """The decision on a request and its reason, in words, in the current language."""
    return reasons.reason_text(slot_request.reason)


@register.filter
def percent(value) -> str:
    """0.0061 → '0.61 %' (localised decimal separator)."""
    from django.utils.formats import number_format

    try:
        return f"{number_format(float(value) * 100, 2)} %"
    except (TypeError, ValueError):
        return "–"


@register.filter
def minutes_label(value: int) -> str:
    return reasons.hhmm(value)
