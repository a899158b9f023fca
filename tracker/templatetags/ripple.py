from django import template

register = template.Library()


@register.filter
def hidden_initial(bound_field):
    """The hidden copy of what a field showed when the page was drawn (see PartialForm)."""
    return bound_field.as_hidden(only_initial=True)
