from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..text import join

register = template.Library()


@register.filter
def and_list(words) -> str:
    """A list in a sentence: "a, b and c" (see text.join)."""
    return join([str(word) for word in words])


@register.filter
def hidden_initial(bound_field):
    """The hidden copy of what a field showed when the page was drawn (see PartialForm).

    Written directly rather than through widget templates: the check-in has
    dozens of these, and template rendering was most of the page's time.
    """
    name = bound_field.html_initial_name
    form = bound_field.form
    if form.is_bound:
        values = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
    else:
        initial = bound_field.initial
        values = initial if isinstance(initial, list | tuple) else [initial]
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((name, "" if value is None else value) for value in values or [""]),
    )


@register.simple_tag(takes_context=True)
def open_flags(context, row):
    """A panel row's open flags, each with its "Mark seen" button. Written here rather
    than in the template, with each value escaped once: a panel of 200 patients
    lists hundreds of flags, and the template engine's eight nodes for each took
    about 40 ms of the page."""
    token = escape(str(context.get("csrf_token", "")))
    url, name = escape(row.seen_url), escape(row.name)
    # Translators: a button beside a flag in a clinician's patient list; the hidden
    # part tells screen readers which flag (%(flag)s) of which patient (%(patient)s).
    mark_seen = _('Mark seen<span class="visually-hidden">: %(flag)s, %(patient)s</span>')
    items = []
    for flag in row.open:
        words = escape(str(flag))
        value = "" if flag.value is None else int(flag.value)
        button = mark_seen % {"flag": words, "patient": name}
        items.append(
            f'<li>{words}\n<form method="post" action="{url}" class="inline-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="rule" value="{escape(flag.rule)}">'
            f'<input type="hidden" name="value" value="{value}">'
            '<input type="hidden" name="back" value="panel">'
            f'<button type="submit" class="button small-button">{button}</button></form></li>'
        )
    return mark_safe(f'<ul class="small flag-list">{"".join(items)}</ul>')  # noqa: S308 - every value escaped above
