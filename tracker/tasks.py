"""Background work, on Django's tasks framework (the TASKS setting picks the backend;
until a queue's backend is set there, Django's default runs each task at once)."""

from django.tasks import task

from .models import Symptom
from .recording import regrade


@task
def rescore_symptom(symptom_id: int) -> int:
    """Derive a symptom's stored grades, and the figures and baselines built on them,
    again: after an admin changed the questions it asks. Returns the grades changed."""
    return regrade(Symptom.objects.get(pk=symptom_id))
