"""The few statements of the diary written out in SQL, each for a reason given.

They read the same on SQLite and PostgreSQL. Table and column names come from the
models' own fields, and every value is a parameter.
"""

import datetime as dt
from functools import cache

from django.db import connection

from .models import Baseline, Patient, Symptom, SymptomLog


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def excluded(column: str) -> str:
    """In an upsert's SET: the value that was to be inserted."""
    return f"excluded.{quote(column)}"


# INSERT … ON CONFLICT DO UPDATE … RETURNING: the ORM's bulk_create(update_conflicts=True)
# returns only the primary key, and the writer needs the row as the upsert left it.
def upsert(model, *, values: dict, key: list[str], update: dict[str, str], returning: list[str]):
    """INSERT `values`; on a clash of `key`, SET each column of `update` to its SQL
    (mostly excluded(column)). Returns the row as a dict of the `returning` columns."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    # A new row needs every column: those not given take their defaults.
    values = {
        **{name: field.get_default() for name, field in fields.items() if not field.primary_key},
        **values,
    }
    names = list(values)
    params = [fields[name].get_db_prep_save(values[name], connection) for name in names]
    table, columns = quote(model._meta.db_table), ", ".join(map(quote, names))
    placeholders, conflict = ", ".join(["%s"] * len(names)), ", ".join(map(quote, key))
    sets = ", ".join(f"{quote(column)} = {expression}" for column, expression in update.items())
    returned = ", ".join(map(quote, returning))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT ({conflict}) DO UPDATE SET {sets} RETURNING {returned}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(returning, cursor.fetchone(), strict=True))


def merge_figures(table: str) -> str:
    """SQL for the day's figures with the entries being saved put in: each entry
    replaces that symptom's whole, and an entry of null removes it. Both databases
    apply the patch inside the row's lock, so saves of two symptoms of one day keep
    both."""
    current, patch = f"{table}.{quote('figures')}", excluded("figures")
    if connection.vendor == "postgresql":
        return f"jsonb_strip_nulls({current} || {patch})"
    return f"json_patch({current}, {patch})"  # RFC 7396: arrays are replaced, nulls removed


# The check-in's one read, on every page and every saved answer. The ORM builds this
# join of four tables afresh each time, which took longer (about 1.5 ms) than running
# it and than the rest of a save; written out, its SQL is built once per process.
@cache
def _tracked_query(vendor: str):  # one per database: SQLite's converters aren't PostgreSQL's
    models = [(Symptom, "s"), (SymptomLog, "l"), (Baseline, "b")]
    columns = [
        f"{alias}.{quote(field.column)}"
        for model, alias in models
        for field in model._meta.concrete_fields
    ]
    through = quote(Patient.tracked_symptoms.through._meta.db_table)
    table = {model: quote(model._meta.db_table) for model, _ in models}
    # Last: the cadence, and the day of this week's weekly answer if there is one.
    sql = f"""
        SELECT {", ".join(columns)}, t.cadence, (
            SELECT MAX(w.date) FROM {table[SymptomLog]} w
            WHERE w.patient_id = %(patient)s AND w.symptom_id = s.id AND w.recall_days = 7
                AND w.date BETWEEN %(week_start)s AND %(date)s
        )
        FROM {through} t
        JOIN {table[Symptom]} s ON s.id = t.symptom_id
        LEFT JOIN {table[SymptomLog]} l
            ON l.symptom_id = s.id AND l.patient_id = %(patient)s AND l.date = %(date)s
        LEFT JOIN {table[Baseline]} b ON b.symptom_id = s.id AND b.patient_id = %(patient)s
        WHERE t.patient_id = %(patient)s AND NOT s.retired
        ORDER BY s.position, s.name
    """  # noqa: S608
    return sql, [_Reader(model) for model, _ in models]


class _Reader:
    """Builds a model's instances from its columns of a row as the ORM does, with the
    converters the ORM applies (on SQLite: text to dates, 0 and 1 to booleans)."""

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.names = [field.attname for field in fields]
        self.columns = [field.cached_col for field in fields]
        self.converters = [
            [
                *connection.ops.get_db_converters(field.cached_col),
                *field.get_db_converters(connection),
            ]
            for field in fields
        ]

    def __len__(self):
        return len(self.names)

    def read(self, values):
        if values[0] is None:
            return None  # a row the LEFT JOIN did not find: its primary key is empty
        values = list(values)
        for i, converters in enumerate(self.converters):
            for converter in converters:
                values[i] = converter(values[i], self.columns[i], connection)
        return self.model.from_db(connection.alias, self.names, values)


def tracked_rows(patient: Patient, date: dt.date) -> list[tuple]:
    """The patient's tracked symptoms in the check-in's order, each with its row for
    the day, its baseline (None where there is none), its cadence and the day it was
    answered this week, if weekly and it was (see Patient.week_start), in one query."""
    sql, readers = _tracked_query(connection.vendor)
    adapt = connection.ops.adapt_datefield_value
    params = {
        "patient": patient.pk,
        "date": adapt(date),
        "week_start": adapt(patient.week_start(date)),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        instances, start = [], 0
        for reader in readers:
            instances.append(reader.read(row[start : start + len(reader)]))
            start += len(reader)
        cadence, answered = row[start:]
        if isinstance(answered, str):  # SQLite gives a subquery's date as text
            answered = dt.date.fromisoformat(answered)
        found.append((*instances, cadence, answered))
    return found
