"""The FHIR export: every stored value survives the trip, and nothing else goes out."""

import datetime as dt
import re

import pydantic
import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.factories import log, log_day, make_patient
from tracker.models import (
    ATTRIBUTE_MAXIMUM,
    EPISODE_ATTRIBUTES,
    SITE_ATTRIBUTES,
    DayLog,
    Symptom,
    SymptomLog,
)
from tracker.reports import fhir

pytestmark = pytest.mark.django_db
D = dt.date(2026, 6, 1)
GENERATED = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
ANSWERED = "answered"  # an item's status in these tests when it holds a value


def log_full_day(patient, date, *, note="Stiff on the stairs."):
    """A day that uses every kind of value the diary stores."""
    log(
        patient, date, "joint-pain", frequency=3, severity=4, interference=2, worst_pain=7,
        stiffness_minutes=45, sites=["site_hands"],
    )  # fmt: skip
    log(
        patient, date, "hot-flashes", frequency=2, severity=2, episodes_mild=2,
        episodes_moderate=1, episodes_severe=1,
    )  # fmt: skip
    # A 0 that is not the first answer: it leaves the night wakings asked.
    log(patient, date, "night-sweats", frequency=1, severity=0, night_awakenings=3)
    log(patient, date, "painful-sex", opt_out="not_active")
    log(patient, date, "low-sexual-interest", opt_out="declined")
    # One field at a time, as the check-in saves them: a reason needs the missed dose first.
    for fields in [
        {"dose": "missed"},
        {"missed_reason": "side_effects"},
        {"considering_stopping": True},
        {"note": note},
    ]:
        log_day(patient, date, **fields)


def stored_answers() -> set[tuple]:
    """Every stored answer as (date, slug, question, value, status): each site as 1 or 0
    once the sites were answered, an opt-out as the severity answer without a value."""
    stored = set()
    for row in SymptomLog.objects.select_related("symptom"):
        key = (row.date, row.symptom.slug)
        for column in ATTRIBUTE_MAXIMUM:
            if (value := getattr(row, column)) is not None:
                stored.add((*key, column, value, ANSWERED))
        if row.sites is not None:
            stored |= {(*key, s, int(s in row.site_list), ANSWERED) for s in SITE_ATTRIBUTES}
        if row.opt_out:
            stored.add((*key, "severity", None, row.opt_out))
    return stored


def export(patient, start=D, end=D + dt.timedelta(days=6)) -> Bundle:
    return Bundle.model_validate_json(
        fhir.bundle_json(patient, start=start, end=end, generated_at=GENERATED)
    )


def resources(bundle, kind):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def by_date(bundle):
    return {r.authored: r for r in resources(bundle, "QuestionnaireResponse")}


def test_the_bundle_validates_and_every_reference_resolves_inside_it(patient):
    log_full_day(patient, D)
    bundle = export(patient)
    assert bundle.type == "collection"
    urls = [entry.fullUrl for entry in bundle.entry]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    references = [r.subject.reference for r in resources(bundle, "QuestionnaireResponse")]
    for observation in resources(bundle, "Observation"):
        references += [observation.subject.reference, observation.derivedFrom[0].reference]
    assert references and set(references) <= set(urls)


def test_every_logged_answer_round_trips_through_the_bundle(patient):
    log_full_day(patient, D)
    log_full_day(patient, D + dt.timedelta(days=2))
    sent = set()
    for date, response in by_date(export(patient)).items():
        for item in response.item:
            if item.linkId.startswith("day."):
                continue
            slug, attribute = item.linkId.split(".")
            if item.answer:
                sent.add((date, slug, attribute, item.answer[0].valueInteger, ANSWERED))
            else:
                status = next(e for e in item.extension if e.url == fhir.ANSWER_STATUS_EXTENSION)
                sent.add((date, slug, attribute, None, status.valueCoding.code))
    stored = stored_answers()
    # Joint pain 5 answers and 8 sites, hot flashes 5, night sweats 3, two opt-outs.
    assert len(stored) == 2 * 23
    assert sent == stored


def test_an_opt_out_is_sent_as_a_reason_without_a_value(patient):
    log_full_day(patient, D)
    items = {item.linkId: item for item in by_date(export(patient))[D].item}
    for link_id, reason, status in [
        ("painful-sex.severity", "not-applicable", "not_active"),
        ("low-sexual-interest.severity", "asked-declined", "declined"),
    ]:
        item = items[link_id]
        assert item.answer is None
        codes = {e.url: e.valueCode or e.valueCoding.code for e in item.extension}
        assert codes == {fhir.DATA_ABSENT_REASON: reason, fhir.ANSWER_STATUS_EXTENSION: status}


def test_the_days_own_fields_round_trip_through_the_bundle(patient):
    log_full_day(patient, D, note="Walked to the shops — slowly.")
    log_day(patient, D + dt.timedelta(days=1), dose="taken")
    log_day(patient, D + dt.timedelta(days=2), considering_stopping=False)
    responses = by_date(export(patient))
    for day in DayLog.objects.filter(patient=patient):
        sent = {}
        for item in responses[day.date].item:
            if item.linkId.startswith("day."):
                answer = item.answer[0]
                coded = answer.valueCoding and answer.valueCoding.code
                value = next(
                    v for v in (coded, answer.valueBoolean, answer.valueString) if v is not None
                )
                sent[item.linkId.removeprefix("day.")] = value
        fields = ["dose", "missed_reason", "considering_stopping", "note"]
        stored = {f: getattr(day, f) for f in fields if getattr(day, f) not in ("", None)}
        assert sent == stored
    assert len(responses) == 3


def test_every_derived_score_round_trips_through_the_bundle(patient):
    log_full_day(patient, D)
    log_full_day(patient, D + dt.timedelta(days=3))
    bundle = export(patient)
    responses = by_date(bundle)
    rebuilt = {date: {"grades": {}, "very_severe": []} for date in responses}
    flashes = {}
    for observation in resources(bundle, "Observation"):
        code = observation.code.coding[0].code
        scores = rebuilt[observation.effectiveDateTime]
        if code.endswith(".grade"):
            scores["grades"][code.removesuffix(".grade")] = observation.valueInteger
        elif code == "stiffness_minutes":
            assert observation.valueQuantity.code == "min"
            scores[code] = int(observation.valueQuantity.value)
        elif code in ("flash_count", "flash_score"):
            flashes[(observation.effectiveDateTime, code)] = observation.valueInteger
        else:
            scores[code] = observation.valueInteger
    for date, response in responses.items():
        # "Very severe" is the severity answer itself, sent in the day's response.
        items = {item.linkId: item.answer for item in response.item}
        rebuilt[date]["very_severe"] = [
            link.removesuffix(".severity")
            for link, answer in items.items()
            if link.endswith(".severity") and answer and answer[0].valueInteger == 4
        ]
        episodes = [items[f"hot-flashes.{a}"][0].valueInteger for a in EPISODE_ATTRIBUTES]
        rebuilt[date]["episodes"] = episodes
    for date in responses:
        # The day's stored rows, in the shape rebuilt above.
        stored = {"grades": {}, "very_severe": []}
        for row in SymptomLog.objects.filter(patient=patient, date=date).select_related("symptom"):
            slug = row.symptom.slug
            if row.grade is not None:
                stored["grades"][slug] = row.grade
            if row.severity == 4:
                stored["very_severe"].append(slug)
            for measure in ("worst_pain", "stiffness_minutes", "night_awakenings"):
                if getattr(row, measure) is not None:
                    stored[measure] = getattr(row, measure)
            if any(getattr(row, a) is not None for a in EPISODE_ATTRIBUTES):
                stored["episodes"] = [getattr(row, a) for a in EPISODE_ATTRIBUTES]
        assert rebuilt[date] == stored
        mild, moderate, severe = stored["episodes"]
        assert flashes[(date, "flash_count")] == mild + moderate + severe == 4
        assert flashes[(date, "flash_score")] == mild + 2 * moderate + 3 * severe == 7
    assert len(responses) == 2


def test_each_observation_is_a_final_survey_result_of_its_own_day(patient):
    log_full_day(patient, D)
    log_full_day(patient, D + dt.timedelta(days=1))
    bundle = export(patient)
    url_of = {
        entry.resource.authored: entry.fullUrl
        for entry in bundle.entry
        if entry.resource.get_resource_type() == "QuestionnaireResponse"
    }
    observations = resources(bundle, "Observation")
    # Per day: three grades, worst pain, stiffness, night wakings, flash count and score.
    assert len(observations) == 2 * 8
    for observation in observations:
        assert observation.status == "final"
        assert observation.category[0].coding[0].code == "survey"
        assert observation.derivedFrom[0].reference == url_of[observation.effectiveDateTime]
        assert observation.code.coding[0].system == fhir.MEASURE


def test_an_empty_period_gives_a_valid_bundle_with_only_the_patient(patient):
    log_full_day(patient, D)
    bundle = export(patient, start=D + dt.timedelta(days=1), end=D + dt.timedelta(days=30))
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient"]


def test_days_outside_the_period_are_left_out(patient):
    for offset in (-1, 0, 6, 7):
        log_full_day(patient, D + dt.timedelta(days=offset))
    bundle = export(patient)
    assert sorted(by_date(bundle)) == [D, D + dt.timedelta(days=6)]
    assert {o.effectiveDateTime for o in resources(bundle, "Observation")} == {
        D,
        D + dt.timedelta(days=6),
    }


def test_another_patients_diary_never_appears(patient, other_patient):
    log_full_day(patient, D, note="Alice's own note.")
    log_full_day(other_patient, D, note="Charlie's private note.")
    log_full_day(other_patient, D + dt.timedelta(days=1), note="Charlie again.")
    data = fhir.bundle_json(patient, start=D, end=D + dt.timedelta(days=6))
    assert b"Charlie" not in data and b"Alice's own note." in data
    bundle = Bundle.model_validate_json(data)
    assert len(by_date(bundle)) == 1
    assert resources(bundle, "Patient")[0].identifier[0].value == str(patient.pk)


def test_the_number_of_queries_stays_the_same_as_days_grow(patient, django_assert_max_num_queries):
    log_full_day(patient, D)
    # symptoms, answers, day logs
    with django_assert_max_num_queries(3):
        fhir.bundle_json(patient, start=D, end=D)
    for offset in range(1, 30):
        log_full_day(patient, D + dt.timedelta(days=offset))
    with django_assert_max_num_queries(3):
        data = fhir.bundle_json(patient, start=D, end=D + dt.timedelta(days=29))
    assert len(by_date(Bundle.model_validate_json(data))) == 30


def test_the_export_holds_no_name_or_email():
    patient = make_patient(
        "rosalind", first_name="Rosalind", last_name="Franklin", email="rosalind@example.org"
    )
    log_full_day(patient, D)
    data = fhir.bundle_json(patient, start=D, end=D)
    for personal in (b"rosalind", b"franklin", b"example.org", b"@"):
        assert personal not in data.lower()
    person = resources(Bundle.model_validate_json(data), "Patient")[0]
    assert person.name is None and person.telecom is None and person.birthDate is None
    assert person.identifier[0].system == fhir.PATIENT_IDENTIFIER


def test_the_same_diary_exports_to_the_same_bytes(patient):
    log_full_day(patient, D)
    first = fhir.bundle_json(patient, start=D, end=D, generated_at=GENERATED)
    assert fhir.bundle_json(patient, start=D, end=D, generated_at=GENERATED) == first


def test_every_code_comes_from_ripples_own_systems_or_a_checked_standard_one(patient):
    log_full_day(patient, D)
    data = fhir.bundle_json(patient, start=D, end=D).decode()
    systems = set(re.findall(r'"system":"([^"]+)"', data))
    assert {s for s in systems if not s.startswith(fhir.BASE + "/")} == {
        fhir.OBSERVATION_CATEGORY,
        fhir.UCUM,
    }


def test_a_measure_of_any_symptom_but_the_first_to_ask_it_is_coded_with_its_slug(patient):
    Symptom.objects.filter(slug="muscle-aches").update(asks_pain_details=True)
    log(patient, D, "joint-pain", frequency=2, severity=2, interference=1, worst_pain=5)
    log(patient, D, "muscle-aches", frequency=1, severity=1, interference=1, worst_pain=3)
    observations = resources(export(patient), "Observation")
    pains = {
        o.code.coding[0].code: (o.code.coding[0].display, o.valueInteger)
        for o in observations
        if o.code.coding[0].code.endswith("worst_pain")
    }
    assert pains == {
        "worst_pain": ("Worst joint pain (0–10)", 5),
        "muscle-aches.worst_pain": ("Muscle aches: worst pain (0–10)", 3),
    }


def test_each_shape_of_entry_is_checked_so_a_malformed_one_is_refused(patient):
    log_full_day(patient, D)
    bundle = fhir.report_bundle(patient, start=D, end=D)
    fhir.validate(bundle)
    observation = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    broken = {**observation, "resource": {**observation["resource"], "valueInteger": "three"}}
    with pytest.raises(pydantic.ValidationError):
        fhir.validate({**bundle, "entry": [*bundle["entry"], broken]})


def test_every_note_is_checked_on_its_own(patient):
    log_full_day(patient, D, note="Fine.")
    log_full_day(patient, D + dt.timedelta(days=1), note="\x0b")  # not text FHIR allows
    with pytest.raises(pydantic.ValidationError):
        fhir.bundle_json(patient, start=D, end=D + dt.timedelta(days=1))
