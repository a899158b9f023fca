"""Curated Markdown to safe HTML: rendered by Markdown, then sanitized by nh3,
so no script, event handler or javascript: link can reach a reader.

Rendering is done when a version is saved (see TopicVersion.render), not when a
page is read; these functions are still bounded, as an editor's save runs them."""

import hashlib
import re

import markdown
import nh3
from markdown import inlinepatterns
from markdown.extensions import Extension

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "table", "thead", "tbody", "tr", "th", "td", "sup", "h5",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
# `[^<>]`, not `[^>]`: from each "<" the search stops at the next one, so text full of
# "<" without a ">" is read once, not once for every "<" in it.
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")
CITATION = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\](?!\()")
GOOD_LINK = re.compile(
    r"^(https?://[^\s/]+\.[^\s]+|/learn/(?P<slug>[a-z0-9-]+)/(#[a-z_]+)?|mailto:\S+@\S+)$"
)
MAX_REFERENCE = 100  # no topic has more than 15; larger numbers are typing slips
# The longest section of the first edition has about 5,000 characters: four times that
# leaves room to grow while bounding what one save has to render.
MAX_LENGTH = 20_000
# Bump when the HTML made from the same text changes (tags allowed, heading levels…):
# stored HTML made before is then out of date (see source_key).
RENDERER_VERSION = 1

# Python-Markdown finds the "]" closing a link's text, and the ")" closing its address,
# by scanning from every "[" (and every "(" after "](") to the end of the paragraph,
# one character at a time in Python (its issue 798). A paragraph of unclosed brackets
# therefore takes quadratic time: 4,000 "[" took 7 s and 58 KiB of them many minutes.
# Our link processors look no further than a link could reasonably reach, in a regex
# (C speed, possessive so it never backtracks); a link text may hold two levels of
# nested brackets, as "[a [b [c]]](…)".
MAX_LINK_TEXT = 1000
MAX_LINK_ADDRESS = 2000
LINK_TEXT = re.compile(r"((?:[^\[\]]++|\[(?:[^\[\]]++|\[[^\[\]]*+\])*+\])*+)\]")
_ADDRESS = r"(?:[^()]++|\((?:[^()]++|\([^()]*+\))*+\))*+"  # two levels of nested ( )
_ADDRESS_NO_QUOTES = _ADDRESS.replace("[^()]", "[^()\"']")
_TITLE = r"""("[^"]*+"|'[^']*+')"""
LINK_ADDRESS = re.compile(
    rf"\(\s*+(?:<([^<>\n]*+)>\s*+(?:{_TITLE}\s*+)?"  # <address> "title"
    rf"|({_ADDRESS_NO_QUOTES}){_TITLE}\s*+"  # address "title"
    rf"|({_ADDRESS}))\)"  # an address, quotes and all
)


class _BoundedBrackets:
    """getText and getLink of Python-Markdown's link processors, bounded and linear."""

    def getText(self, data, index):
        found = LINK_TEXT.match(data, index, index + MAX_LINK_TEXT)
        if found is None:
            return "", index, False
        return found.group(1), found.end(), True

    def getLink(self, data, index):
        found = LINK_ADDRESS.match(data, index, index + MAX_LINK_ADDRESS)
        if found is None:
            return "", None, index, False
        angled, angled_title, before_title, title, bare = found.groups()
        href = next(part for part in (angled, before_title, bare) if part is not None)
        href = self.unescape(href).strip()
        title = angled_title or title
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", self.unescape(title[1:-1].strip()))
        return href, title, found.end(), True


class BoundedLinks(Extension):
    # Python-Markdown's own names, patterns and priorities, so each replaces its original.
    PROCESSORS = [
        ("reference", inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 170),
        ("link", inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, 160),
        ("image_link", inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, 150),
        (
            "image_reference",
            inlinepatterns.ImageReferenceInlineProcessor,
            inlinepatterns.IMAGE_REFERENCE_RE,
            140,
        ),
        (
            "short_reference",
            inlinepatterns.ShortReferenceInlineProcessor,
            inlinepatterns.REFERENCE_RE,
            130,
        ),
        (
            "short_image_ref",
            inlinepatterns.ShortImageReferenceInlineProcessor,
            inlinepatterns.IMAGE_REFERENCE_RE,
            125,
        ),
    ]

    def extendMarkdown(self, md):
        for name, processor, pattern, priority in self.PROCESSORS:
            bounded = type(f"Bounded{processor.__name__}", (_BoundedBrackets, processor), {})
            md.inlinePatterns.register(bounded(pattern, md), name, priority)


def _markdown(text: str) -> str:
    return markdown.markdown(
        text, extensions=["tables", "sane_lists", BoundedLinks()], output_format="html"
    )


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


# Text shaped like this is refused before Markdown sees it, as Markdown (or the standard
# library's HTML parser under it) takes quadratic time or recurses without bound on it:
# an unclosed "<a <a <a…" (3.5 s for 20,000 characters), one block of thousands of
# lines (2.4 s), list markers nested hundreds deep on one line (RecursionError).
TAG_START = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
LEADING_MARKERS = re.compile(r"^(?:[ \t]*+(?:[-+*]|\d{1,9}[.)])[ \t]++|[ \t]*+>)++", re.MULTILINE)
MARKER = re.compile(r"[-+*>]|\d+[.)]")
BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
MAX_NESTING = 8  # lists and quotes inside each other; the content nests none
MAX_BLOCK_LINES = 100  # lines without an empty one between; the content's longest has 9


TOO_LONG = (
    "This has %(show_value)d characters, more than the %(limit_value)d that fit here. "
    "Please shorten it, or move some of it to another section: your text is still here."
)


def too_long(text: str) -> str | None:
    if len(text) <= MAX_LENGTH:
        return None
    return TOO_LONG % {"show_value": len(text), "limit_value": MAX_LENGTH}


def _shape_problems(text: str) -> list[str]:
    found = [
        f"Write Markdown, not HTML: remove {tag}."
        for tag in sorted(set(RAW_HTML.findall(text)))[:3]
    ]
    if not found and TAG_START.search(text):
        found.append(
            "Write Markdown, not HTML: a “<” right before a letter starts a tag. "
            "Put a space after it, or write “less than”."
        )
    nesting = max(
        (len(MARKER.findall(m.group())) for m in LEADING_MARKERS.finditer(text)), default=0
    )
    if nesting > MAX_NESTING:
        found.append(
            f"Lists and quotes can sit at most {MAX_NESTING} levels inside each other "
            f"(here {nesting})."
        )
    lines = max(len(block.splitlines()) for block in BLOCK_BREAK.split(text))
    if lines > MAX_BLOCK_LINES:
        found.append(
            f"Leave an empty line between paragraphs: one block here runs to {lines} lines, "
            f"and at most {MAX_BLOCK_LINES} are formatted together."
        )
    return found


def problems(
    text: str, *, references: set[int] | None = None, topics: set[str] | None = None
) -> list[str]:
    """What an editor must fix before this Markdown can be published, in plain words.

    `references` are the reference numbers that exist and `topics` the topic
    slugs that exist; either check is skipped when not given. Cheap on any text:
    Markdown itself only runs on text of a size and shape it renders quickly.
    """
    if message := too_long(text):
        return [message]
    found = _shape_problems(text)
    if not found:
        found = _link_problems(_markdown(text), topics=topics)
    numbers = cited_numbers(text)
    if numbers is None:
        found.append(
            f"A citation number is too large: references run from 1 to at most {MAX_REFERENCE}."
        )
    elif references is not None:
        for number in sorted(numbers - references):
            found.append(f"Citation [{number}] has no matching reference.")
    return found


def _link_problems(html: str, *, topics: set[str] | None) -> list[str]:
    found = []
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


def source_key(texts: dict[str, str]) -> str:
    """What stored HTML was made from: the texts, and the renderer's version."""
    digest = hashlib.sha256(f"renderer {RENDERER_VERSION}".encode())
    for name in sorted(texts):
        digest.update(f"\0{name}\0{texts[name]}".encode())
    return digest.hexdigest()


def render(texts: dict[str, str]) -> dict:
    """Each text as HTML, and its first paragraph as HTML, with the key of what they were
    made from: what a version stores, so pages never run Markdown."""
    return {
        "source": source_key(texts),
        "html": {name: to_html(text) for name, text in texts.items()},
        "intro": {name: to_html(first_paragraph(text)) for name, text in texts.items()},
    }
