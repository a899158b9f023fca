"""When each answer was given, and the rule that keeps the later of two answers.

A phone that loses its connection keeps the answers given on it and sends them once
it is back (templates/sw.js), perhaps hours later and after the same question
was answered on another device. So the writer (tracker.recording) stores, per
question, the moment its answer was given, and drops an answer older than the one
stored, whenever it arrives.

An answer sent at once was given when it arrives. One sent later carries two
moments by the device's clock: when it was given and when it was sent. A device
whose clock agrees with the server's (within a minute) is taken at its word, so two
answers a second apart keep their order however long each took to arrive. A clock
further off is corrected by that difference: what holds then is how long the answer
waited on the device.
"""

import time

# An opt-out (not sexually active, prefer not to say) answers the severity question.
STAMPED_AS = {"opt_out": "severity"}


def now() -> int:
    return time.time_ns() // 1_000_000


# How far a device's clock may be from the server's and still be taken as right:
# more than the time a request takes to arrive, less than a clock set wrong.
CLOCK_AGREES_MS = 60_000


def given_at(answered: int | None = None, sent: int | None = None) -> int:
    """The moment an answer arriving now was given, in milliseconds since 1970 by
    the server's clock (see above); never later than now."""
    arrived = now()
    if answered is None or sent is None:
        return arrived
    off = arrived - sent  # how far the device's clock is behind, plus the time on the way
    if abs(off) <= CLOCK_AGREES_MS:
        off = 0
    return max(0, min(answered + off, arrived))


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
