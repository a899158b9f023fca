"""When each answer was given, and the rule that keeps the later of two answers.

A phone that loses its connection keeps the answers given on it and sends them once
it is back (static/ripple/sw.js), perhaps hours later and after the same question
was answered on another device. So the writer (tracker.recording) stores, per
question, the moment its answer was given, and drops an answer older than the one
stored, whenever it arrives.

An answer sent at once was given when it arrives. One sent later carries two
moments by the device's clock, when it was given and when it was sent: their
difference is how long it waited, which holds even when that clock is wrong.
"""

import time

# An opt-out (not sexually active, prefer not to say) answers the severity question.
STAMPED_AS = {"opt_out": "severity"}


def now() -> int:
    return time.time_ns() // 1_000_000


def given_at(answered: int | None = None, sent: int | None = None) -> int:
    """The moment an answer arriving now was given, in milliseconds since 1970:
    now, less how long it waited on the device (never less than nothing)."""
    arrived = now()
    if answered is None or sent is None:
        return arrived
    return arrived - min(max(sent - answered, 0), arrived)


def newer(changes: dict, stamps: dict, at: int) -> dict:
    """The changes given at `at` that are not older than the stored answer to the same
    question (a tie goes to the one arriving now)."""
    return {
        name: value
        for name, value in changes.items()
        if stamps.get(STAMPED_AS.get(name, name), 0) <= at
    }


def stamped(stamps: dict, columns, at: int) -> dict:
    """The stored stamps with each of `columns` given at `at`."""
    return {**stamps, **{STAMPED_AS.get(name, name): at for name in columns}}
