"""A rough reading-level check for curated text (Flesch-Kincaid grade).

Syllables are counted by vowel groups, which is close enough to tell an
8th-grade text from a 12th-grade one; it is a guide for editors, not a verdict.
Run `python -m education.readability FILE...` to check Markdown files by section.
"""

import re
import sys

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*[-*]\s|\n\n")


def plain_text(markdown: str) -> str:
    text = re.sub(r"`[^`]*`", " ", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links keep their words
    text = re.sub(r"\[\d+(?:[,–-]\s*\d+)*\]", " ", text)  # citation markers
    text = re.sub(r"^\s*\|.*\|\s*$", " ", text, flags=re.MULTILINE)  # tables are not prose
    return re.sub(r"[#>*_|]", " ", text)


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def grade(markdown: str) -> float:
    text = plain_text(markdown)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59


def main(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for title, body in re.findall(
            r"^# ([^\n]+)\n(.*?)(?=^# |\Z)", text, flags=re.MULTILINE | re.DOTALL
        ):
            print(f"{path}: {title.strip():32} grade {grade(body):5.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
