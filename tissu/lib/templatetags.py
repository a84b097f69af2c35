"""Template helpers available everywhere as {% load tissu %} (registered in settings.TEMPLATES)."""

from django import forms, template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from tissu.lib.html import render_rich_text

register = template.Library()


@register.simple_tag
def formfield(bound_field, **extra_attrs):
    """An accessible field: label, help text and errors tied to the input by aria-describedby."""
    widget = bound_field.field.widget
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
    attrs = {**extra_attrs}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required and not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        attrs["required"] = True
    is_group = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    return render_to_string(
        "includes/field.html",
        {
            "field": bound_field,
            "widget_html": bound_field.as_widget(attrs=attrs),
            "is_group": is_group,
            "is_checkbox": is_checkbox,
        },
    )


@register.filter
def richtext(source):
    return render_rich_text(source or "")


@register.simple_tag(takes_context=True)
def nav_current(context, *url_names):
    """aria-current="page" when the current view is one of the given URL names (namespace:name)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match and match.view_name in url_names:
        return mark_safe('aria-current="page"')
    return ""


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (for pagination and facet links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def url_or_empty(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def minutes(duration) -> int:
    """A timedelta as whole minutes, rounded up (django-axes gives the lock-out as one)."""
    seconds = duration.total_seconds() if duration else 0
    return int(-(-seconds // 60))
