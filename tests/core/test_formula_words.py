"""A rule's formula in the page's language: words and number marks."""

from jaring.core.words import formula_words


def test_a_formula_in_english_has_english_words_and_marks():
    text = "menunggu usia sekolah, mulai 2027/2028: SD 6 × Rp1.500.000 + SMP 3 × Rp2.000.000"
    assert formula_words(text, "en") == (
        "waiting for school age, from 2027/2028: primary school 6 × Rp1,500,000 + "
        "junior secondary school 3 × Rp2,000,000"
    )
    assert formula_words("0,24 % × Rp1.000.000", "en") == "0.24 % × Rp1,000,000"
    assert formula_words("max(48 × Rp1.000.000, Rp42.000.000)", "en") == (
        "max(48 × Rp1,000,000, Rp42,000,000)"
    )


def test_in_indonesian_only_max_becomes_maks():
    assert formula_words("max(48 × Rp1.000.000, Rp42.000.000)", "id") == (
        "maks(48 × Rp1.000.000, Rp42.000.000)"
    )
    assert formula_words("SD 6 × Rp1.500.000", "id") == "SD 6 × Rp1.500.000"
