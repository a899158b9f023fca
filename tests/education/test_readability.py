"""The reading-level checks editors run on curated text, English and Spanish."""

import pytest

from education.readability import grade, reading_ease_es, syllables_es


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("sol", 1),
        ("casa", 2),
        ("puerta", 2),  # ue: one syllable
        ("ciudad", 2),  # iu: one
        ("aeropuerto", 5),  # a-e: two, strong beside strong
        ("día", 2),  # a stressed í stands alone
        ("leído", 3),
        ("que", 1),  # the u after q is part of one syllable
        ("hoy", 1),  # a final y after a vowel is a vowel
        ("mayo", 2),  # elsewhere a consonant
        ("y", 1),
        ("Anastrozol", 4),
        ("articulaciones", 6),
    ],
)
def test_spanish_syllables_follow_its_spelling_rules(word, count):
    assert syllables_es(word) == count


def test_short_plain_spanish_reads_easier_than_long_technical_spanish():
    plain = "Te pueden doler las manos. Muévelas un poco cada día. Habla con tu equipo."
    technical = (
        "La inhibición de la aromatasa disminuye considerablemente las concentraciones "
        "circulantes de estrógenos, lo que ocasiona artralgias, rigidez articular y "
        "alteraciones musculoesqueléticas relativamente frecuentes durante el tratamiento."
    )
    assert reading_ease_es(plain) > 80
    assert reading_ease_es(technical) < 30


def test_the_spanish_ease_is_the_corrected_fernandez_huerta_formula():
    # 4 words, 1 sentence, 6 syllables: 206.84 - 60 * 6/4 - 1.02 * 4
    assert reading_ease_es("Me duelen las manos.") == pytest.approx(206.84 - 90 - 4.08)


def test_markdown_links_and_citations_do_not_count_as_words():
    assert reading_ease_es("Me duelen las manos [1].") == reading_ease_es(
        "Me duelen las [manos](https://example.org)."
    )


def test_the_english_grade_is_unchanged_by_the_spanish_check():
    assert grade("The pain is in my hands. It is worse in the morning.") < 4
