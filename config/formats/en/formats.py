"""Ripple's short dates in English: "3 Dec 2026" (the pages' usual date)."""

SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
