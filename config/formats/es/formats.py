"""Ripple's short dates in Spanish: "3 dic 2026". Spanish writes month names and their
abbreviations in lower case, and the date filter's "M" capitalises them; "b" does not."""

SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
