import pytest

from education.models import ContextRule, RuleCondition
from education.rules import SymptomContext, choose, matches

ANY, SEV, GRADE, FIRST, WORSE, ROW = (
    RuleCondition.ANY,
    RuleCondition.SEVERITY_AT_LEAST,
    RuleCondition.GRADE_AT_LEAST,
    RuleCondition.FIRST_REPORT,
    RuleCondition.WORSE_THAN_BASELINE,
    RuleCondition.DAYS_IN_A_ROW,
)


def rule(condition, threshold=None, priority=10, pk=1, section="summary", active=True):
    return ContextRule(
        pk=pk,
        condition=condition,
        threshold=threshold,
        priority=priority,
        section=section,
        active=active,
    )


@pytest.mark.parametrize(
    ("condition", "threshold", "context", "expected"),
    [
        (ANY, None, SymptomContext(), True),
        (ANY, None, SymptomContext(reported=False), False),
        (SEV, 3, SymptomContext(severity=3), True),
        (SEV, 3, SymptomContext(severity=2), False),
        (SEV, 3, SymptomContext(severity=None), False),
        (GRADE, 3, SymptomContext(grade=3), True),
        (GRADE, 2, SymptomContext(grade=1), False),
        (GRADE, 1, SymptomContext(grade=None), False),
        (FIRST, None, SymptomContext(first_report=True), True),
        (FIRST, None, SymptomContext(first_report=False), False),
        (WORSE, None, SymptomContext(worse_than_baseline=True), True),
        (WORSE, None, SymptomContext(), False),
        (ROW, 7, SymptomContext(days_in_a_row=7), True),
        (ROW, 7, SymptomContext(days_in_a_row=6), False),
    ],
)
def test_each_condition_matches_exactly_when_it_holds(condition, threshold, context, expected):
    assert matches(rule(condition, threshold), context) is expected


def test_the_highest_priority_match_wins():
    rules = [
        rule(ANY, pk=1, priority=10),
        rule(GRADE, 3, pk=2, priority=50),
        rule(ROW, 7, pk=3, priority=30),
    ]
    assert choose(rules, SymptomContext(grade=3, days_in_a_row=9)).pk == 2
    assert choose(rules, SymptomContext(grade=2, days_in_a_row=9)).pk == 3
    assert choose(rules, SymptomContext(grade=1)).pk == 1


def test_a_tie_goes_to_the_more_specific_condition_then_the_older_rule():
    worse, row = rule(WORSE, pk=5, priority=30), rule(ROW, 7, pk=4, priority=30)
    assert choose([row, worse], SymptomContext(worse_than_baseline=True, days_in_a_row=8)).pk == 5
    first, second = rule(ANY, pk=7), rule(ANY, pk=8)
    assert choose([second, first], SymptomContext()).pk == 7


def test_inactive_rules_never_match():
    assert choose([rule(ANY, active=False)], SymptomContext()) is None


def test_nothing_matches_a_symptom_that_was_not_reported():
    assert choose([rule(ANY)], SymptomContext(reported=False)) is None
