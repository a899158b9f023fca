"""Curated Markdown to safe HTML: rendered by Markdown, then sanitized by nh3,
so no script, event handler or javascript: link can reach a reader."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "table", "thead", "tbody", "tr", "th", "td", "sup", "h5",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
CITATION = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\](?!\()")
GOOD_LINK = re.compile(
    r"^(https?://[^\s/]+\.[^\s]+|/learn/(?P<slug>[a-z0-9-]+)/(#[a-z_]+)?|mailto:\S+@\S+)$"
)
MAX_REFERENCE = 500  # no topic has more; larger numbers are typing slips


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")


def _shift_heading(match) -> str:
    # The page has h1 (title) and h2 (section), so headings inside a section
    # start at h3: # and ## become h3, ### h4, #### and below h5.
    level = min(5, max(3, int(match.group(2)) + 1))
    return f"<{match.group(1)}h{level}>"


def to_html(text: str) -> str:
    html = re.sub(r"<(/?)h([1-6])>", _shift_heading, _markdown(text))
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # Wide tables scroll sideways on a phone; a focusable region lets a
    # keyboard scroll them too. Added after sanitizing: this markup is ours.
    return html.replace(
        "<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>'
    ).replace("</table>", "</table></div>")


NOT_A_PARAGRAPH = re.compile(r"^(#|\||[-*+]\s|>|\d+[.)]\s)")


def first_paragraph(text: str) -> str:
    """The opening paragraph of a section, shown on its own beside a logged symptom."""
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if block and not NOT_A_PARAGRAPH.match(block):
            return block
    return text.strip().split("\n\n")[0]


def problems(
    text: str, *, references: set[int] | None = None, topics: set[str] | None = None
) -> list[str]:
    """What an editor must fix before this Markdown can be published, in plain words.

    `references` are the reference numbers that exist and `topics` the topic
    slugs that exist; either check is skipped when not given.
    """
    found = []
    for tag in sorted(set(RAW_HTML.findall(text)))[:3]:
        found.append(f"Write Markdown, not HTML: remove {tag}.")
    html = _markdown(text)
    if "<img" in html:
        found.append("Pictures aren't supported yet: remove the image.")
    for target in re.findall(r'href="([^"]*)"', html):
        match = GOOD_LINK.match(target)
        if not match:
            found.append(
                f"The link “{target}” doesn't look right: use a full https:// address or /learn/<topic>/."
            )
        elif topics is not None and match.group("slug") and match.group("slug") not in topics:
            found.append(f"The link “{target}” leads to a topic that doesn't exist.")
    numbers = cited_numbers(text)
    if numbers is None:
        found.append(
            f"A citation number is too large: references run from 1 to at most {MAX_REFERENCE}."
        )
    elif references is not None:
        for number in sorted(numbers - references):
            found.append(f"Citation [{number}] has no matching reference.")
    return found


def cited_numbers(text: str) -> set[int] | None:
    """Reference numbers cited as [1], [1, 2] or [1–3]; None if one is implausibly large."""
    numbers: set[int] = set()
    for group in CITATION.findall(text):
        for part in re.split(r"\s*,\s*", group):
            ends = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
            if max(ends) > MAX_REFERENCE:
                return None
            numbers.update(range(ends[0], ends[-1] + 1))
    return numbers
