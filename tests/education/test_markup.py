import pytest

from education import markup
from education.markup import cited_numbers, first_paragraph, problems, to_html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<div onclick="alert(1)">x</div>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
    ],
)
def test_scripts_event_handlers_and_javascript_links_render_inert(payload):
    html = to_html(f"Hello\n\n{payload}\n\nBye")
    lowered = html.lower()
    assert "<script" not in lowered and "alert(1)</script" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered and "<style" not in lowered and "<img" not in lowered


def test_tables_are_real_tables_and_headings_sit_below_the_page_title():
    html = to_html("## Compared\n\n| | AI | Tamoxifen |\n|---|---|---|\n| Bone | falls | kept |\n")
    assert "<table>" in html and "<th>" in html and "<td>falls</td>" in html
    assert "<h3>Compared</h3>" in html


def test_links_open_safely():
    html = to_html("[NCI](https://www.cancer.gov)")
    assert 'href="https://www.cancer.gov"' in html
    assert "noopener" in html


def test_the_first_paragraph_may_start_with_a_number_or_bold():
    assert first_paragraph("75% of people feel it.\n\nMore.") == "75% of people feel it."
    assert first_paragraph("**Good news** first.\n\nMore.") == "**Good news** first."


def test_headings_inside_a_section_never_compete_with_the_section_heading():
    html = to_html("# One\n\n## Two\n\n### Three\n\n#### Four")
    assert "<h3>One</h3>" in html and "<h3>Two</h3>" in html
    assert "<h4>Three</h4>" in html and "<h5>Four</h5>" in html


def test_the_first_paragraph_skips_headings_and_lists():
    assert first_paragraph("## Why\n\n- a list\n\nThe real opening. Two sentences.\n\nMore.") == (
        "The real opening. Two sentences."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hello <b>there</b>", "Write Markdown, not HTML"),
        ("See [this](htp:/broken)", "doesn't look right"),
        ("See [this](/learn/Bad Slug/)", "doesn't look right"),
        ("As shown [4].", "Citation [4] has no matching reference"),
        ("See [4–99999999999].", "A citation number is too large"),
        ("See [x](/learn/no-such-topic/).", "leads to a topic that doesn't exist"),
        ("![a picture](https://example.org/a.png)", "Pictures aren't supported"),
        ("See [x][a]\n\n[a]: htp://bad", "doesn't look right"),
    ],
)
def test_editors_are_told_what_to_fix(text, message):
    found = problems(text, references={1, 2, 3}, topics={"bone-health"})
    assert any(message in p for p in found), found


def test_citations_may_list_and_span_references():
    assert cited_numbers("As seen [1, 3] and [5–7].") == {1, 3, 5, 6, 7}


def test_good_markdown_has_no_problems():
    text = "Fine [1]. See [the library](/learn/bone-health/#what_helps) or [NCI](https://www.cancer.gov)."
    assert problems(text, references={1}, topics={"bone-health"}) == []


# Python-Markdown scans from every "[" to the end of its paragraph; ours look no
# further than a link reaches, and Markdown never sees shapes it is slow on. These
# inputs took from seconds to many minutes before; they are not timed here (see the
# commit for the numbers), but a return to quadratic time would make them crawl.


def test_ripples_renderer_makes_the_same_html_as_python_markdown_of_the_content():
    import markdown

    from education.content import content_files, parse

    texts = [
        text
        for meta in map(parse, content_files())
        for text in [meta["summary"], *meta["sections"].values()]
    ] + [  # one link a paragraph: a quote can make Python-Markdown read on to the next
        "[a](https://x.org)",
        "[b](https://x.org 'T')",
        '[c](<https://x y> "T")',
        "[a (b)](https://en.wikipedia.org/wiki/A_(b))",
        "[a [b] c](/learn/x/)",
        "[x](b (c) d)",
        "![alt](a.png) [ref] [a][ref] ![x][ref]\n\n[ref]: https://r.org",
        "[a](https://x.org/it's)",
        '[a](b "t)',
        '[a]("t")',
        "[a]() [1, 2] [*e*](https://x)",
    ]
    for text in texts:
        upstream = markdown.markdown(
            text, extensions=["tables", "sane_lists"], output_format="html"
        )
        assert markup._markdown(text) == upstream, text


@pytest.mark.parametrize("unit", ["[", "[a](", "![", "[x][", "[a](b", "[[]", "[a](((", "[a](<"])
def test_unclosed_brackets_are_shown_as_written(unit):
    text = unit * (markup.MAX_LENGTH // len(unit))
    assert markup.problems(text) in ([], ["Pictures aren't supported yet: remove the image."])
    html = markup.to_html(text + "\n\n[a link](https://example.org)")
    assert unit.replace("<", "&lt;") * 10 in html
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 20_001, "This has 20001 characters, more than the 20000 that fit here"),
        ("<a " * 5000, "a “<” right before a letter starts a tag"),
        ("- " * 9 + "nine deep", "at most 8 levels inside each other (here 9)"),
        ("> " * 40 + "quoted", "at most 8 levels inside each other (here 40)"),
        ("=\n" * 101, "one block here runs to 101 lines"),
    ],
)
def test_shapes_markdown_is_slow_on_are_refused_before_it_runs(monkeypatch, text, message):
    monkeypatch.setattr(markup, "_markdown", lambda text: pytest.fail("Markdown ran"))
    found = markup.problems(text)
    assert any(message in problem for problem in found), found


def test_within_the_limits_nesting_and_long_blocks_still_render():
    assert markup.problems("- " * 8 + "eight deep") == []
    assert markup.to_html("- " * 8 + "eight deep").count("<ul>") == 8
    assert markup.problems("line\n" * 100 + "\n" + "next\n" * 100) == []
