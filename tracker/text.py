"""Small helpers for the sentences Ripple writes."""

from django.utils import formats
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _


def join(words: list[str]) -> str:
    """Words as a list in a sentence: "a", "a and b", "a, b and c" (in the active
    language: "a, b y c" in Spanish)."""
    if len(words) <= 1:
        return "".join(str(word) for word in words)
    # Translators: the end of a list in a sentence, e.g. "hands, wrists and knees":
    # %(rest)s is the words before the last, already separated by commas.
    return _("%(rest)s and %(last)s") % {
        "rest": ", ".join(str(word) for word in words[:-1]),
        "last": words[-1],
    }


def short_month(month: int) -> str:
    """A month's abbreviation as the active language's short dates write it
    (config/formats): "Dec" in English ("M"), "dic" in Spanish ("b", lower case)."""
    abbreviation = str(MONTHS_3[month])
    return abbreviation if "b" in formats.get_format("SHORT_DATE_FORMAT") else abbreviation.title()


def short_date(day) -> str:
    """ "3 Dec 2026" ("3 dic 2026" in Spanish): the pages' usual date, as templates write
    it with |date:"SHORT_DATE_FORMAT"."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def padded_date(day) -> str:
    """ "05 Mar 2026" ("05 mar 2026" in Spanish): a date as plotly.js writes it in a
    chart's hover (charts.HOVER_DATE), for the words that go with the charts."""
    return f"{day:%d} {short_month(day.month)} {day.year}"


# Invisible marks that turn the direction of the text after them: in a name they can
# reverse a report's header. Letters of right-to-left scripts are kept; templates show
# names in <bdi>, so even those never reorder the words around them.
DIRECTION_MARKS = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def without_direction_marks(text: str) -> str:
    return text.translate(DIRECTION_MARKS)
