"""Curated Markdown to safe HTML: rendered by Markdown, then sanitized by nh3,
so no script, event handler or javascript: link can reach a reader."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "table", "thead", "tbody", "tr", "th", "td", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
LINK = re.compile(r"\]\(([^)\s]+)")
CITATION = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\](?!\()")


def to_html(text: str) -> str:
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    # Headings inside a section start at h3: the page has h1 (title) and h2 (section).
    html = re.sub(r"<(/?)h([1-3])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}>", html)
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


def first_paragraph(text: str) -> str:
    """The opening paragraph of a section, shown on its own beside a logged symptom."""
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if block and not block.startswith(("#", "|", "-", "*", ">")) and not block[0].isdigit():
            return block
    return text.strip().split("\n\n")[0]


def problems(text: str, *, references: int) -> list[str]:
    """What an editor must fix before this Markdown can be published, in plain words."""
    found = []
    for tag in sorted(set(RAW_HTML.findall(text)))[:3]:
        found.append(f"Write Markdown, not HTML: remove {tag}.")
    for target in LINK.findall(text):
        if not re.match(
            r"^(https?://[^\s/]+\.[^\s]+|/learn/[a-z0-9-]+/(#[a-z-]+)?|mailto:\S+@\S+)$", target
        ):
            found.append(
                f"The link “{target}” doesn't look right: use a full https:// address or /learn/<topic>/."
            )
    for number in sorted(cited_numbers(text)):
        if not 1 <= number <= references:
            found.append(f"Citation [{number}] has no matching reference (there are {references}).")
    return found


def cited_numbers(text: str) -> set[int]:
    """Reference numbers cited as [1], [1, 2] or [1–3]."""
    numbers: set[int] = set()
    for group in CITATION.findall(text):
        for part in re.split(r"\s*,\s*", group):
            ends = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
            numbers.update(range(ends[0], ends[-1] + 1))
    return numbers
