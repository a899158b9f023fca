"""Branching, the one definition: a symptom's questions are asked in order
(frequency, severity, interference), and an answer of 0 means the questions after it
are not asked and count as 0. A 0 to the first question also answers the extra
measures (worst pain, sites, stiffness, episodes, night wakings) with 0. Moving an
answer off 0 asks those questions again.

The server stores exactly this (see tracker.recording); the check-in page carries
the same rules as data attributes rendered from skipped_by_zero(), so its script
shows what will be stored without knowing the rules itself.
"""

from collections.abc import Mapping, Sequence

Values = Mapping[str, int | None]


def skipped_by_zero(asked: Sequence[str], extras: Sequence[str], question: str) -> list[str]:
    """The questions that an answer of 0 to `question` leaves unasked."""
    if question not in asked:
        return []
    position = asked.index(question)
    return [*asked[position + 1 :], *(extras if position == 0 else [])]


def apply(
    *, asked: Sequence[str], extras: Sequence[str], stored: Values, changes: Values
) -> dict[str, int | None]:
    """What to write, given what is stored and what was just answered (None clears).

    The result holds the changes and every answer they imply: zeroes after a 0, and
    cleared zeroes once an answer moves off 0, so those questions are asked again."""
    result = dict(changes)
    for question in asked:
        if question not in changes:
            continue
        later = skipped_by_zero(asked, extras, question)
        if changes[question] == 0:
            result.update(dict.fromkeys(later, 0))
            break
        if changes[question] is not None and stored.get(question) == 0:
            # Its zeroes were implied, not chosen: ask again what is not answered now.
            for name in later:
                result.setdefault(name, None)
    return result


def effective(asked: Sequence[str], values: Values) -> tuple[int | None, ...]:
    """The asked attributes as they count: after a 0, any later answer counts as 0
    (stored data may hold one, from an older page or a hand-edited row)."""
    counted: list[int | None] = []
    zero_seen = False
    for question in asked:
        value = values.get(question)
        if value is not None and zero_seen:
            value = 0
        if value == 0:
            zero_seen = True
        counted.append(value)
    return tuple(counted)
