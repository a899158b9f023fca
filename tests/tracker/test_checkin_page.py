"""The check-in page as a phone shows it: how far along, answered cards folded to one
line, explanations beside answered symptoms without JavaScript, the page marked in
the navigation."""

import re

from django.urls import reverse

from tests.factories import log


def page(client, date):
    return client.get(reverse("tracker:checkin", args=[date])).text


def card(html, slug):
    return re.search(
        rf'<section class="symptom card" id="symptom-{slug}".*?</section>', html, re.S
    ).group(0)


def test_a_progress_line_counts_the_symptoms_answered(patient_client, patient):
    today = patient.today()
    log(patient, today, "hot-flashes", frequency=2, severity=1)
    log(patient, today, "joint-pain", frequency=2)  # one of three
    html = page(patient_client, today)
    total = patient.symptoms_to_ask().count()
    assert f'id="progress">1 of {total} answered</p>' in html


def test_an_answered_card_folds_to_one_line_and_opens_to_change(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", frequency=3, severity=2, interference=1, worst_pain=6,
        sites=["site_hands"], stiffness_minutes=15)  # fmt: skip
    log(patient, today, "hot-flashes", frequency=2, severity=2)  # episodes still to give
    html = page(patient_client, today)
    pain = card(html, "joint-pain")
    assert '<details class="fold">' in pain  # folded
    assert 'moderate, worst 6/10 · <span class="change">Change</span>' in pain
    assert 'id="id_joint-pain-worst_pain_6" checked' in pain  # every answer still there
    assert '<details class="fold" open>' in card(html, "hot-flashes")  # a detail to give


def test_an_explanation_is_beside_an_answered_symptom_when_the_page_is_drawn(
    patient_client, patient
):
    today = patient.today()
    log(patient, today, "hot-flashes", frequency=3, severity=3)
    log(patient, today, "vaginal-dryness", severity=0)  # nothing to explain
    html = page(patient_client, today)
    assert '<aside class="explanation"' in card(html, "hot-flashes")
    assert '<aside class="explanation"' not in card(html, "vaginal-dryness")
    assert '<aside class="explanation"' not in card(html, "joint-pain")  # not answered


def test_the_navigation_marks_the_page_you_are_on(patient_client, patient):
    html = page(patient_client, patient.today())
    assert 'href="/today/" aria-current="page">Today</a>' in html
    assert 'href="/trends/">Trends</a>' in html


def test_nothing_inside_the_check_in_form_opens_a_form_of_its_own(patient_client, patient):
    # A nested form would end the check-in's form early, and "Save this day" would
    # then leave out every answer after it.
    today = patient.today()
    log(patient, today, "hot-flashes", frequency=3, severity=3)
    html = page(patient_client, today)
    start = html.index('class="checkin"')
    inside = html[start : html.index("Save this day", start)]
    assert '<aside class="explanation"' in inside
    assert "<form" not in inside and "</form>" not in inside


def test_a_folded_card_keeps_its_explanation_inside_a_tap_away(patient_client, patient):
    log(patient, patient.today(), "vaginal-dryness", severity=2)
    folded = card(page(patient_client, patient.today()), "vaginal-dryness")
    details = folded[folded.index('<details class="fold">') : folded.index("</details>")]
    assert '<aside class="explanation"' in details
