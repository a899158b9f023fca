"""The explanation beside each symptom already answered when a check-in page is drawn,
so it is there after a reload and without JavaScript. The check-in's template loads
this library: the tracker's code never imports education (the arrows run one way)."""

from django import template

from ..rules import explanations_for_day
from ..views import explanation_context

register = template.Library()


@register.inclusion_tag("education/explanation.html", takes_context=True)
def explanation_beside(context, day, symptom_day):
    """The explanation for one symptom of the day; every answered symptom's are read
    together, once per page (see rules.explanations_for_day)."""
    # Kept on the request: each card's partial is rendered in a context of its own.
    cache = context["request"].__dict__.setdefault("_explanations_by_day", {})
    if day.date not in cache:
        answered = [s.symptom for s in day.symptoms if s.logged]
        cache[day.date] = explanations_for_day(
            patient=day.patient, symptoms=answered, date=day.date
        )
    found = cache[day.date].get(symptom_day.symptom.pk)
    return {
        **explanation_context(found, symptom_day.symptom),
        "csrf_token": context.get("csrf_token"),
    }
