"""PRO-CTCAE composite grades (Basch et al., Clin Trials 2021;18(1):104-114).

The published lookup table maps each combination of frequency, severity and
interference answers (0-4, or unasked) to a composite grade 0-3. The table is
kept verbatim as data beside this module, so it can be checked against the source.
"""

import csv
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from . import branching

TABLE_PATH = Path(__file__).parent / "data" / "pro_ctcae_composite_grades.csv"

Key = tuple[int | None, int | None, int | None]
ATTRIBUTES = ("frequency", "severity", "interference")  # the table's columns, in order


@cache
def _table() -> dict[Key, int]:
    def cell(text: str) -> int | None:
        return int(text) if text.strip() else None

    with TABLE_PATH.open(newline="") as handle:
        return {
            (cell(row["frequency"]), cell(row["severity"]), cell(row["interference"])): int(
                row["composite_grade"]
            )
            for row in csv.DictReader(handle)
        }


def composite_grade(
    frequency: int | None = None, severity: int | None = None, interference: int | None = None
) -> int | None:
    """Return the composite grade 0-3 for one symptom on one day, or None if nothing was answered."""
    key = (frequency, severity, interference)
    if key == (None, None, None):
        return None
    for value in key:
        if value is not None and not 0 <= value <= 4:
            raise ValueError(f"PRO-CTCAE attribute values run from 0 to 4, not {value!r}")
    table = _table()
    if key in table:
        return table[key]
    # Stored data may hold an answer after a 0 (an older page, a hand-edited row) that
    # the table does not list: it counts as 0, as branching would have stored it.
    return table[branching.effective(ATTRIBUTES, dict(zip(ATTRIBUTES, key, strict=True)))]


def grade(
    asked: Sequence[str], values: Mapping[str, int | None], *, opted_out: bool = False
) -> int | None:
    """The composite grade of one symptom on one day, the one definition every page,
    export and flag uses: None until each question it asks is answered. An opt-out
    answers the severity question without a value: it counts as missing, never as 0."""
    answered = [
        values.get(attribute) is not None or (opted_out and attribute == "severity")
        for attribute in asked
    ]
    if not all(answered):
        return None
    # Only what it asks: a question the admin has since turned off may still hold a value.
    return composite_grade(**{attribute: values.get(attribute) for attribute in asked})
