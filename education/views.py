from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracker.access import loggable_date, patient_required

from .forms import DepthForm, HideForm, LibraryForm, OriginalForm
from .models import (
    MARKDOWN_FIELDS,
    BodySystem,
    Depth,
    HiddenExplanation,
    Language,
    Topic,
    TopicVersion,
    VersionStatus,
    reading_language,
)
from .rules import explanation_for

DEPTH_SESSION_KEY = "education_depth"
SEARCHED_FIELDS = ["title", *MARKDOWN_FIELDS]


@require_GET
def library(request):
    form = LibraryForm(request.GET)
    topics = (
        Topic.objects.with_published()
        .prefetch_related("symptoms")
        .order_by("published_version__title")
    )
    language = reading_language()
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            # What patients can read: the English text, and the text in their language.
            match = Q()
            for field in SEARCHED_FIELDS:
                match |= Q(**{f"{field}__icontains": query})
            found = TopicVersion.objects.filter(
                match,
                status=VersionStatus.PUBLISHED,
                language__in={Language.ENGLISH, language},
            )
            topics = topics.filter(pk__in=found.values("topic_id"))
        if form.cleaned_data["symptom"]:
            topics = topics.filter(symptoms=form.cleaned_data["symptom"])
        if form.cleaned_data["system"]:
            topics = topics.filter(body_system=form.cleaned_data["system"])
    topics = list(topics)
    translated = {}
    if language != Language.ENGLISH:
        translated = TopicVersion.objects.published_in(language).by_topic()
    for topic in topics:
        topic.shown = translated.get(topic.pk, topic.published_version)
    topics.sort(key=lambda topic: topic.shown.title.casefold())
    groups = [
        (label, [t for t in topics if t.body_system == value])
        for value, label in BodySystem.choices
    ]
    return render(
        request,
        "education/library.html",
        {"form": form, "groups": [g for g in groups if g[1]], "count": len(topics), "query": query},
    )


def _depth(request) -> str:
    form = DepthForm(request.GET)
    chosen = form.cleaned_data["depth"] if form.is_valid() else ""
    if chosen:
        request.session[DEPTH_SESSION_KEY] = chosen
        return chosen
    return request.session.get(DEPTH_SESSION_KEY, Depth.FUNDAMENTALS)


def article_context(*, topic, version, depth: str) -> dict:
    """What the article template needs: shared by the topic page and the admin's preview.
    A section a translation leaves out is the English one, said to be so."""
    return {
        "topic": topic,
        "version": version,
        "depth": depth,
        "depths": Depth.choices,
        "depth_html": version.section_html(depth),
        "depth_language": version.section_language(depth),
        "what_helps_html": version.section_html("what_helps"),
        "when_to_talk_html": version.section_html("when_to_talk"),
        "references": version.cited_references(),
        "language": reading_language(),
    }


@require_GET
def topic_detail(request, slug):
    topic = get_object_or_404(
        Topic.objects.with_published().prefetch_related("symptoms"), slug=slug
    )
    language = reading_language()
    form = OriginalForm(request.GET)
    wants_original = form.is_valid() and form.cleaned_data["original"]
    version = topic.version_in(Language.ENGLISH if wants_original else language)
    # Not in the reader's language yet (or not reviewed in it): the English page, with
    # a word saying so, rather than nothing.
    context = article_context(
        topic=topic, version=version or topic.published_version, depth=_depth(request)
    )
    context["untranslated"] = version is None
    return render(request, "education/topic_detail.html", context)


@require_GET
@patient_required
def explanation(request, date, slug):
    """The explanation beside a symptom just logged (an htmx fragment; empty if none)."""
    patient = request.patient
    loggable_date(patient, date)
    symptom = get_object_or_404(patient.symptoms_to_ask(), slug=slug)
    found = explanation_for(patient=patient, symptom=symptom, date=date)
    return render(request, "education/explanation.html", explanation_context(found, symptom))


def explanation_context(found, symptom) -> dict:
    return {
        "explanation": found,
        "symptom": symptom,
        "intro": found.version.section_intro(found.section) if found else "",
    }


@require_POST
@patient_required
def hide_explanation(request, slug):
    topic = get_object_or_404(Topic.objects.published(), slug=slug)
    form = HideForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("That explanation couldn't be hidden."))
    HiddenExplanation.objects.get_or_create(
        patient=request.patient, topic=topic, section=form.cleaned_data["section"]
    )
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Hidden. It stays in the library whenever you want it."))
    return redirect("tracker:today")
