import csv
from pathlib import Path

import pytest
from django.conf import settings

from tracker.grading import TABLE_PATH, composite_grade

SHARED_TABLE = (
    Path(settings.BASE_DIR).parent / "shared" / "clinical" / "pro-ctcae-composite-grades.csv"
)


def _rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(text):
    return int(text) if text else None


ROWS = _rows(TABLE_PATH)


def test_the_bundled_table_is_the_published_one():
    if not SHARED_TABLE.exists():
        pytest.skip("the shared clinical brief is not beside this checkout")
    assert _rows(SHARED_TABLE) == ROWS


def test_the_table_has_all_179_published_combinations():
    assert len(ROWS) == 179


@pytest.mark.parametrize(
    "row",
    ROWS,
    ids=lambda r: f"F{r['frequency'] or '-'}S{r['severity'] or '-'}I{r['interference'] or '-'}",
)
def test_it_returns_the_published_grade_for_every_row(row):
    grade = composite_grade(
        frequency=_cell(row["frequency"]),
        severity=_cell(row["severity"]),
        interference=_cell(row["interference"]),
    )
    assert grade == int(row["composite_grade"])


def test_it_returns_none_when_nothing_was_answered():
    assert composite_grade() is None


def test_it_takes_keywords_and_defaults_the_missing_ones():
    assert composite_grade(severity=3) == 3
    assert composite_grade(frequency=4, interference=4) == 3


def test_it_counts_answers_after_a_zero_as_zero():
    # Severity 0 skips interference, so a stray later value cannot raise the grade.
    assert composite_grade(severity=0, interference=4) == 0
    assert composite_grade(frequency=0, severity=3) == 0


@pytest.mark.parametrize("bad", [-1, 5, 9])
def test_it_rejects_values_off_the_scale(bad):
    with pytest.raises(ValueError):
        composite_grade(severity=bad)
