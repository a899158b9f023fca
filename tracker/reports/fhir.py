"""One patient's diary for a period as a FHIR R4 Bundle, for the appointment report.

The bundle is a "collection": a Patient, one QuestionnaireResponse per logged day
holding what was answered, and Observations of the scores derived from it, each
pointing back to its day's response. Validation uses fhir.resources' R4B models:
R4B is the 4.3 technical correction of R4, and Patient, QuestionnaireResponse,
Observation and Bundle as used here are the same in both.

Codes are Ripple's own, under BASE, in Ripple's own words. The only standard codes
are ones checked against the published FHIR and UCUM value sets: the "survey"
observation category, two data-absent reasons and the UCUM minute.

Codes, systems and linkIds never change with the language; the texts a person reads
(each question's text, the displays of Ripple's own codes) are in the active language.
The standard category keeps its published display, "Survey".
"""

import datetime as dt
import uuid

import orjson
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fhir.resources.R4B.bundle import Bundle

from .. import rules
from ..models import Attribute, DayLog, Dose, MissedReason, OptOut, Patient, Symptom, SymptomLog
from .csv import READ, answers

PAST_WEEK = "past-7-days"  # the suffix of a weekly answer's linkId and code

# `.invalid` is reserved (RFC 2606): these URIs name Ripple's codes, they are not fetched.
BASE = "https://ripple.invalid/fhir"
PATIENT_IDENTIFIER = f"{BASE}/identifier/patient"
MEASURE = f"{BASE}/CodeSystem/measure"
DOSE = f"{BASE}/CodeSystem/dose"
MISSED_REASON = f"{BASE}/CodeSystem/missed-reason"
ANSWER_STATUS = f"{BASE}/CodeSystem/answer-status"
ANSWER_STATUS_EXTENSION = f"{BASE}/StructureDefinition/answer-status"

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
UCUM = "http://unitsofmeasure.org"

# An opt-out is an item with no answer, never a 0: "not sexually active" is not
# "no pain". The standard data-absent reason tells any FHIR reader why the value is
# missing; Ripple's own status beside it keeps the exact choice the patient made.
ABSENT_REASON = {
    OptOut.NOT_SEXUALLY_ACTIVE: "not-applicable",
    OptOut.PREFER_NOT_TO_ANSWER: "asked-declined",
}

# Fixed UUIDs (uuid5 of a path under BASE) make exports reproducible and let a
# later export of the same days be matched to an earlier one.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
ATTRIBUTE_ORDER = {attribute.value: index for index, attribute in enumerate(Attribute)}


def report_bundle(
    patient: Patient,
    *,
    start: dt.date,
    end: dt.date,
    generated_at: dt.datetime | None = None,
) -> dict:
    """The diary from `start` to `end` (inclusive) as a JSON-ready Bundle, in three queries."""
    symptoms = Symptom.objects.in_bulk()
    primary = _primary(symptoms.values())
    rows_by_date: dict[dt.date, list] = {}
    for date, symptom_id, recall, opt_out, sites, *values in (
        SymptomLog.objects.for_patient(patient).between(start, end).values_list(*READ, "grade")
    ):
        answered = dict(zip(READ[5:], values[:-1], strict=True))  # the grade comes last
        row = (symptoms[symptom_id], opt_out, sites, answered, values[-1], recall)
        rows_by_date.setdefault(date, []).append(row)

    patient_url = _urn("patient", patient.pk)
    entries = [_entry(patient_url, _patient(patient))]
    question_text = _QuestionText()
    for day in DayLog.objects.for_patient(patient).between(start, end).logged().order_by("date"):
        response_url = _urn("patient", patient.pk, "day", day.date)
        rows = rows_by_date.get(day.date, [])
        items = sorted(
            (
                (symptom, question, answer, recall)
                for symptom, opt_out, sites, answered, _grade, recall in rows
                for question, answer in answers(opt_out, sites, answered).items()
            ),
            key=lambda item: (item[0].position, item[0].name, item[3], ATTRIBUTE_ORDER[item[1]]),
        )
        questions = [_answer_item(question_text, *item) for item in items] + _day_items(day)
        entries.append(_entry(response_url, _response(day.date, questions, patient_url)))
        for code, display, value, recall in _measures(rows, primary):
            observation = _observation(
                code, display, value, day.date, patient_url, response_url, recall_days=recall
            )
            entries.append(_entry(_urn("patient", patient.pk, "day", day.date, code), observation))

    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": (generated_at or timezone.now()).isoformat(),
        "entry": entries,
    }


def bundle_json(
    patient: Patient,
    *,
    start: dt.date,
    end: dt.date,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """report_bundle() as JSON, checked against the FHIR models first.

    Raises pydantic.ValidationError rather than hand a clinic a malformed file."""
    bundle = report_bundle(patient, start=start, end=end, generated_at=generated_at)
    validate(bundle)
    return orjson.dumps(bundle)


def validate(bundle: dict) -> None:
    """Check a bundle with fhir.resources, one entry of each shape: the same elements
    with values of the same types pass or fail alike, and checking every entry of 90
    days took 0.7 s. The values come from typed, range-checked columns and Ripple's
    own codes; the patient's own words (notes) are part of the shape, so each is
    checked on its own."""
    shapes, sample = set(), []
    for entry in bundle["entry"]:
        if (key := _shape(entry)) not in shapes:
            shapes.add(key)
            sample.append(entry)
    Bundle.model_validate({**bundle, "entry": sample})


def _shape(value):
    """The structure of a JSON value: its keys and the types of its values (strings
    typed by their key, free text kept whole)."""
    if isinstance(value, dict):
        return tuple(
            (key, item if key == "valueString" else _shape(item)) for key, item in value.items()
        )
    if isinstance(value, list):
        return tuple(_shape(item) for item in value)
    return type(value)


def _urn(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(str(part) for part in parts))}"


def _entry(full_url: str, resource: dict) -> dict:
    return {"fullUrl": full_url, "resource": resource}


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _patient(patient: Patient) -> dict:
    # Pseudonymous by design: no name, email, birth date or address. The clinic
    # receives the file from the person it describes and files it with their own
    # record; Ripple's id is enough to match later exports of the same diary.
    return {
        "resourceType": "Patient",
        "identifier": [{"system": PATIENT_IDENTIFIER, "value": str(patient.pk)}],
    }


def _response(date: dt.date, items: list[dict], patient_url: str) -> dict:
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "subject": {"reference": patient_url},
        "source": {"reference": patient_url},  # patient-reported
        "authored": date.isoformat(),
    }
    if items:  # FHIR JSON has no empty arrays
        response["item"] = items
    return response


class _QuestionText(dict):
    """Each question's linkId and text, worked out once per symptom and attribute."""

    def of(self, symptom: Symptom, attribute: str, recall_days: int = 1) -> tuple[str, str]:
        key = (symptom.slug, attribute, recall_days)  # a model's own hash is slow here
        if key not in self:
            label = str(Attribute(attribute).label)
            # Translators: a question in the FHIR file: a symptom, then one of its questions.
            text = _("%(symptom)s: %(question)s") % {
                "symptom": symptom.display_name,
                "question": f"{label[0].lower()}{label[1:]}",
            }
            link_id = f"{symptom.slug}.{attribute}"
            if recall_days == 7:  # a weekly answer: the same question about 7 days
                # Translators: a question in the FHIR file, asked about the past 7 days.
                text = _("%(question)s (past 7 days)") % {"question": text}
                link_id = f"{link_id}.{PAST_WEEK}"
            self[key] = (link_id, text)
        return self[key]


def _answer_item(
    question_text: _QuestionText,
    symptom: Symptom,
    attribute: str,
    answer: int | OptOut,
    recall_days: int = 1,
) -> dict:
    link_id, text = question_text.of(symptom, attribute, recall_days)
    item = {"linkId": link_id, "text": text}
    if not isinstance(answer, OptOut):
        item["answer"] = [{"valueInteger": answer}]
    else:
        opt_out = answer
        item["extension"] = [
            {"url": DATA_ABSENT_REASON, "valueCode": ABSENT_REASON[opt_out]},
            {
                "url": ANSWER_STATUS_EXTENSION,
                "valueCoding": _coding(ANSWER_STATUS, opt_out.value, str(opt_out.label)),
            },
        ]
    return item


def _day_items(day: DayLog) -> list[dict]:
    """The day's own fields; those left unanswered are left out."""
    items = []
    if day.dose:
        answer = {"valueCoding": _coding(DOSE, day.dose, str(Dose(day.dose).label))}
        items.append({"linkId": "day.dose", "text": _("Took the medicine"), "answer": [answer]})
    if day.missed_reason:
        reason = MissedReason(day.missed_reason)
        items.append(
            {
                "linkId": "day.missed_reason",
                "text": _("Why the dose was missed"),
                "answer": [
                    {"valueCoding": _coding(MISSED_REASON, reason.value, str(reason.label))}
                ],
            }
        )
    if day.considering_stopping is not None:
        items.append(
            {
                "linkId": "day.considering_stopping",
                "text": _("Side effects make me think about stopping the medicine"),
                "answer": [{"valueBoolean": day.considering_stopping}],
            }
        )
    if day.note:
        items.append(
            {"linkId": "day.note", "text": _("Note"), "answer": [{"valueString": day.note}]}
        )
    return items


# The measures observed beside the grades: (code, display for the catalogue's first
# symptom asking it, display for any other (its %(name)s the symptom's), FHIR value of
# a number). The displays are in the active language; the codes never change.
MEASURES = [
    ("worst_pain", gettext_lazy("Worst joint pain (0–10)"),
     gettext_lazy("%(name)s: worst pain (0–10)"), lambda n: {"valueInteger": n}),
    ("stiffness_minutes", gettext_lazy("Morning stiffness"),
     gettext_lazy("%(name)s: morning stiffness"),
     lambda n: {"valueQuantity": {"value": n, "unit": "min", "system": UCUM, "code": "min"}}),
    ("night_awakenings", gettext_lazy("Times woken at night"),
     gettext_lazy("%(name)s: times woken at night"), lambda n: {"valueInteger": n}),
    ("flash_count", gettext_lazy("Hot flashes a day"), gettext_lazy("%(name)s: episodes a day"),
     lambda n: {"valueInteger": n}),
    ("flash_score", gettext_lazy("Hot-flash score (mild + 2 × moderate + 3 × severe)"),
     gettext_lazy("%(name)s: score (mild + 2 × moderate + 3 × severe)"),
     lambda n: {"valueInteger": n}),
]  # fmt: skip
ASKED_BY = {
    "worst_pain": "asks_pain_details",
    "stiffness_minutes": "asks_pain_details",
    "night_awakenings": "asks_night_awakenings",
    "flash_count": "asks_hot_flash_episodes",
    "flash_score": "asks_hot_flash_episodes",
}


def _primary(symptoms) -> dict[str, Symptom]:
    """For each measure, the first symptom of the catalogue that asks it. Its
    observations keep the bare code (`worst_pain`), as in files made when each day had
    one such measure; any other symptom's code is prefixed with its slug."""
    ordered = sorted(symptoms, key=lambda s: (s.position, s.name))
    return {
        measure: next((s for s in ordered if getattr(s, flag)), None)
        for measure, flag in ASKED_BY.items()
    }


def _measures(rows, primary: dict[str, Symptom]) -> list[tuple[str, str, dict]]:
    """(code, display, value[x]) of each score derived for the day: the grades by
    symptom, then each measure (hot flashes a day and their score by rules.py)."""
    found = []
    for symptom, *_rest, grade, recall in sorted(rows, key=lambda row: (row[0].slug, row[5])):
        if grade is not None:
            code = f"{symptom.slug}.grade"
            # Translators: an observation in the FHIR file: a symptom's grade, 0 to 3.
            display = _("%(name)s: composite grade (0–3)") % {"name": symptom.display_name}
            if recall == 7:
                # Translators: an observation in the FHIR file, about the past 7 days.
                display = _("%(display)s, past 7 days") % {"display": display}
                code = f"{code}.{PAST_WEEK}"
            found.append((code, display, {"valueInteger": grade}, recall))
    numbers = [(row[0], {**row[3], **rules.series_values(row[3])}) for row in rows]
    for measure, display, other, value in MEASURES:
        for symptom, answered in numbers:
            if (number := answered.get(measure)) is None:
                continue
            if primary.get(measure) == symptom:
                found.append((measure, str(display), value(number), 1))
            else:
                code, words = (
                    f"{symptom.slug}.{measure}",
                    str(other) % {"name": symptom.display_name},
                )
                found.append((code, words, value(number), 1))
    return found


def _observation(
    code: str,
    display: str,
    value: dict,
    date: dt.date,
    patient_url: str,
    response_url: str,
    *,
    recall_days: int = 1,
) -> dict:
    # A weekly answer is about the 7 days up to its date, and says so.
    when = (
        {"effectiveDateTime": date.isoformat()}
        if recall_days == 1
        else {
            "effectivePeriod": {
                "start": (date - dt.timedelta(days=6)).isoformat(),
                "end": date.isoformat(),
            }
        }
    )
    return {
        "resourceType": "Observation",
        "status": "final",
        # The standard code system's own display, in English whatever the language.
        "category": [{"coding": [_coding(OBSERVATION_CATEGORY, "survey", "Survey")]}],
        "code": {"coding": [_coding(MEASURE, code, display)], "text": display},
        "subject": {"reference": patient_url},
        **when,
        "performer": [{"reference": patient_url}],
        "derivedFrom": [{"reference": response_url}],
        **value,
    }
