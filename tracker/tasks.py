"""Background work, on Django's tasks framework (the TASKS setting picks the backend)."""

from django.tasks import task

from .models import Symptom
from .recording import rescore


@task
def rescore_symptom(symptom_id: int) -> int:
    """Derive a symptom's stored grades, and the figures and baselines built on them,
    again: after an admin changed the questions it asks. Returns the grades changed."""
    return rescore(symptoms=Symptom.objects.filter(pk=symptom_id))
