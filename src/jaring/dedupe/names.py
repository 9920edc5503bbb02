"""Indonesian names reduced to what stays the same when one person is written down twice.

Lists written by different hands spell one name differently: pilgrim and Malay titles and
degrees added or left out ("Hj. Siti Aminah, S.Pd", "Uray Hasan"), abbreviations ("M. Rizki",
"St. Aminah", "Abd. Rahman"), spellings of one Arabic or old-Dutch name (Muhammad / Muhamad /
Mohammad / Moh., Abdullah / Abdulah, Nur / Noor, Soekarno / Sukarno, Djoko / Joko, Tjhai / Chai).
`canonical` turns each into one form, token by token, so that the model compares names, not
spellings.

Everything here is Polars expressions over a column of distinct names (a registry repeats names,
so callers work each distinct name out once): a million workers take about a second.
"""

from __future__ import annotations

import polars as pl

# Titles written before a name, which lists add or leave out at will. Stripped at the start
# (an "H" or a "Wan" further on may be an initial or a name).
TITLES = (
    "h", "kh", "dr", "rd", "wan", "raden", "tengku", "teuku", "syarif", "sayid", "encik", "ny",
    "nyonya", "tn", "bapak", "ibu", "pak", "bu",
)  # fmt: skip
# Titles that are never names, stripped wherever a list puts them ("Agus Hamid Abang").
TITLES_ANYWHERE = (
    "hj", "haji", "hajah", "drs", "dra", "ir", "prof", "ust", "ustad", "ustadz", "ustadzah",
    "ustazah", "abang", "uray", "dayang", "utin", "syarifah",
)  # fmt: skip
# Degrees written after a name without a comma ("Siti Aminah SPd").
DEGREES = (
    "spd", "spdi", "se", "sh", "si", "skm", "skep", "sag", "sos", "ssos", "sip", "st", "mm",
    "mpd", "mh", "msi", "amd", "amdkeb", "amdkep", "ak", "mt", "sthi", "sei",
)  # fmt: skip
# Patronymic joiners: "Ahmad bin Hasan" and "Ahmad Hasan" are one name.
JOINERS = ("bin", "binti", "bt", "bte")

# One spelling per name, after double letters are made single (Muhammad → muhamad).
_MUHAMMAD = (
    "m", "mu", "md", "mhd", "mh", "moh", "mohd", "moch", "moc", "mochd", "muh", "muhd",
    "mochamad", "mohamad", "mohamed", "mohamat", "muhamed", "muhamat", "muchamad", "mukhamad",
    "mokhamad", "mamad", "muhamad",
)  # fmt: skip
SPELLINGS = {
    **dict.fromkeys(_MUHAMMAD, "muhamad"),
    **dict.fromkeys(("ahmad", "achmad", "akhmad", "ahmat", "achmat", "amad"), "ahmad"),
    **dict.fromkeys(("abd", "abdl", "abdul"), "abdul"),
    **dict.fromkeys(("abdulah", "abdula"), "abdulah"),
    **dict.fromkeys(("st", "sti", "siti"), "siti"),
    **dict.fromkeys(("nor", "nur", "nr"), "nur"),
    **dict.fromkeys(("sri", "sry"), "sri"),
}


def _alternation(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_TITLE_PREFIX = rf"^(?:(?:{_alternation(TITLES)})\s+)+"
_TITLE_ANYWHERE = rf"\b(?:{_alternation(TITLES_ANYWHERE)})\b"
_DEGREE_SUFFIX = rf"(?:\s+(?:{_alternation(DEGREES)}))+$"
_JOINER = rf"\s(?:{_alternation(JOINERS)})\s"


def _single_letters(text: pl.Expr) -> pl.Expr:
    """Double letters made single (Abdullah → abdulah, Hasanuddin → hasanudin)."""
    for letter in "abcdefghijklmnopqrstuvwxyz":
        text = text.str.replace_all(letter + letter + "+", letter)
    return text


def canonical(full_name: pl.Expr) -> pl.Expr:
    """The name as lower-case tokens in one spelling, titles and degrees left out; null if
    nothing is left."""
    text = (
        full_name.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")  # the accents NFKD split off
        .str.to_lowercase()
        .str.replace(r",.*$", "")  # degrees after a comma ("..., S.Pd")
        .str.replace_all(r"[^a-z .'\-]+", " ")
        .str.replace_all("'", "")  # Ma'ruf
        .str.replace_all("-", " ")  # Nur-Aini
        .str.replace_all(r"\.", " ")  # M.Rizki, S.Pd
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    # Old spellings: oe → u (Soekarno), dj → j (Djoko), tj → ch (Tjhai / Chai, Tjong / Chong),
    # sj → sy (Sjarifah); a j that begins a name is often written y (Juliana / Yuliana,
    # Johanes / Yohanes).
    text = (
        text.str.replace_all("oe", "u")
        .str.replace_all("dj", "j")
        .str.replace_all("tj", "ch")
        .str.replace_all("sj", "sy")
        .str.replace_all(r"\bj", "y")
    )
    text = _single_letters(text)
    text = (
        text.str.replace_all(_TITLE_ANYWHERE, "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.replace(_TITLE_PREFIX, "")
        .str.replace(_DEGREE_SUFFIX, "")
        .str.replace_all(_JOINER, " ")
        .str.strip_chars()
    )
    tokens = text.str.split(" ").list.eval(
        pl.element().replace(SPELLINGS).filter(pl.element() != "")
    )
    name = tokens.list.join(" ")
    return pl.when(name != "").then(name)
