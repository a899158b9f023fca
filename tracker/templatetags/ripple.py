from django import template
from django.utils.html import format_html_join

register = template.Library()


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
