"""PRO-CTCAE composite grades (Basch et al., Clin Trials 2021;18(1):104-114).

The published lookup table maps each combination of frequency, severity and
interference answers (0-4, or unasked) to a composite grade 0-3. The table is
kept verbatim as data beside this module, so it can be checked against the source.
"""

import csv
from functools import cache
from pathlib import Path

TABLE_PATH = Path(__file__).parent / "data" / "pro_ctcae_composite_grades.csv"

Key = tuple[int | None, int | None, int | None]


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


def _skip_after_zero(key: Key) -> Key:
    # Branching: once an attribute is answered 0 the later ones are not asked
    # and count as 0. Stored data may still hold a later value (a hand-edited
    # row, say); the table only lists branched combinations.
    result: list[int | None] = []
    zero_seen = False
    for value in key:
        if value is not None and zero_seen:
            value = 0
        if value == 0:
            zero_seen = True
        result.append(value)
    return (result[0], result[1], result[2])


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
    return table[_skip_after_zero(key)]
