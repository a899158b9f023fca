"""A rough reading-level check for curated text: the Flesch-Kincaid grade for English,
and for Spanish the Fernández-Huerta reading ease (issue 14).

Syllables are counted by vowel groups, which is close enough to tell an
8th-grade text from a 12th-grade one; it is a guide for editors, not a verdict.
Run `python -m education.readability FILE...` to check Markdown files by section
(`--es` for Spanish).
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


def _counts(markdown: str, word: re.Pattern, syllables_of) -> tuple[int, int, int]:
    """Words, sentences and syllables of the text, in that order (0 words: nothing)."""
    text = plain_text(markdown)
    words = word.findall(text)
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if word.search(s)]))
    return len(words), sentences, sum(syllables_of(w) for w in words)


def grade(markdown: str) -> float:
    words, sentences, syllable_count = _counts(markdown, _WORD, syllables)
    if not words:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


# --- Spanish ----------------------------------------------------------------------
#
# Spanish spelling says where syllables break: a strong vowel (a, e, o) or a stressed
# weak one (í, ú) next to another strong one starts a new syllable (le-í-do, a-e-ro);
# weak vowels (i, u, ü) join their neighbours in one (ciu-dad, puer-ta). A final y
# after a vowel is a weak vowel (hoy, muy); elsewhere it is a consonant (ma-yo).
_ES_WORD = re.compile(r"[a-záéíóúüñ][a-záéíóúüñ'’-]*", re.IGNORECASE)
_ES_STRONG = frozenset("aeoáéóíú")
_ES_VOWELS = _ES_STRONG | frozenset("iuü")


def syllables_es(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) > 1 and word.endswith("y") and word[-2] in _ES_VOWELS:
        word = word[:-1] + "i"
    count, previous = 0, None
    for letter in word:
        if letter not in _ES_VOWELS:
            previous = None
            continue
        if previous is None or (previous in _ES_STRONG and letter in _ES_STRONG):
            count += 1
        previous = letter
    return max(1, count)


def reading_ease_es(markdown: str) -> float:
    """Fernández-Huerta's reading ease (1959), as corrected by Law (2011): 206.84 − 60 ×
    syllables per word − 1.02 × words per sentence. Higher is easier: 60–70 reads as
    plain adult text (a 7th or 8th grade), 70–80 fairly easy, under 50 hard."""
    words, sentences, syllable_count = _counts(markdown, _ES_WORD, syllables_es)
    if not words:
        return 100.0
    return 206.84 - 60 * syllable_count / words - 1.02 * words / sentences


def main(paths: list[str]) -> None:
    spanish = "--es" in paths
    for path in (p for p in paths if p != "--es"):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for title, body in re.findall(
            r"^# ([^\n]+)\n(.*?)(?=^# |\Z)", text, flags=re.MULTILINE | re.DOTALL
        ):
            if spanish:
                print(f"{path}: {title.strip():32} ease {reading_ease_es(body):5.1f}")
            else:
                print(f"{path}: {title.strip():32} grade {grade(body):5.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
