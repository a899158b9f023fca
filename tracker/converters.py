import datetime as dt

from django.urls import register_converter


class IsoDateConverter:
    """A calendar date in a URL, as 2026-11-29. An impossible date is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        return dt.date.fromisoformat(value)  # ValueError means "no match", hence 404

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


# Registered on import, so any urls module that uses <isodate:...> imports this one.
register_converter(IsoDateConverter, "isodate")
