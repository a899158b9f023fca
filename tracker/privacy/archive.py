"""Everything an account holds, as one zip: every row of every table that belongs to
the patient (JSON), the diary day by day (CSV), and the diary as FHIR.

The rows are found through the models' own relations to the patient and the user, so
a table added later is in the archive without anyone remembering to add it."""

import datetime as dt
import io
import json
import zipfile

from django.core.serializers import serialize
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Archive, Consent, DayLog, Patient, SymptomLog

# Not the person's data, or secrets of no use outside Ripple: the password's hash, the
# hashes of link tokens and invitation codes, any key, and earlier archives themselves.
LEFT_OUT = {"password", "token_hash", "code_hash", "content", "key", "session_stamp"}
LEFT_OUT_MODELS = {Archive}


def readme(date: dt.date) -> str:
    """What is in the archive, in the active language (the file names stay as they are)."""
    # Translators: the README.txt file of the archive of an account, plain text. Keep
    # the file names; the descriptions may be aligned again with spaces.
    text = gettext(
        "Everything your Ripple account held on %(date)s.\n"
        "\n"
        "ripple-data.json  every record of your account, table by table, as stored\n"
        "diary.csv         your diary, one row a day, for a spreadsheet\n"
        "diary.fhir.json   your diary as a FHIR bundle, the format health records exchange\n"
        "\n"
        "Ripple gives information and shows changes; it does not diagnose.\n"
    )
    return text % {"date": date.isoformat()}


def rows(instances) -> list[dict]:
    records = json.loads(serialize("json", instances))
    for record in records:
        record["fields"] = {k: v for k, v in record["fields"].items() if k not in LEFT_OUT}
    return records


def related_rows(owner) -> dict[str, list[dict]]:
    """Every row pointing at `owner` (a patient or a user), by table."""
    found = {}
    for relation in owner._meta.related_objects:
        model = relation.related_model
        if model in LEFT_OUT_MODELS or relation.many_to_many:
            continue
        queryset = model._default_manager.filter(**{relation.field.name: owner})
        if queryset.exists():
            found[model._meta.label] = rows(queryset.order_by("pk"))
    return found


def everything(patient: Patient) -> dict:
    """The patient's record through every relation to it; of the rows pointing at the
    user, only the consents: the others are not this patient's diary (a second
    factor's secret, or what the same account did as a clinician or in the admin)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "tracker.User": rows([patient.user]),
        "tracker.Patient": rows([patient]),
        "tracker.Consent": rows(Consent.objects.filter(user=patient.user).order_by("pk")),
        **related_rows(patient),
    }


def diary_period(patient: Patient) -> tuple[dt.date, dt.date]:
    today = patient.today()
    firsts = [
        model.objects.filter(patient=patient)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
        for model in (DayLog, SymptomLog)
    ]
    return min([d for d in firsts if d] or [today]), today


def build(patient: Patient) -> bytes:
    from ..reports.csv import daily_csv
    from ..reports.fhir import bundle_json

    start, end = diary_period(patient)
    data = everything(patient)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(patient.today()))
        archive.writestr("ripple-data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=1))
        archive.writestr("diary.csv", daily_csv(patient, start=start, end=end))
        archive.writestr("diary.fhir.json", bundle_json(patient, start=start, end=end))
    return buffer.getvalue()
