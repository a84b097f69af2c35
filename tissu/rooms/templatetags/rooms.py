from django import template

from tissu.rooms import reasons

register = template.Library()


@register.simple_tag
def reason_text(slot_request) -> str:
    """The decision on a request and its reason, in words, in the current language."""
    return reasons.reason_text(slot_request.reason)


@register.filter
def minutes_label(value: int) -> str:
    return reasons.hhmm(value)
