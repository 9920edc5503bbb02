"""Cells written every which way become the registry's values, or are flagged as unreadable."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from lokal import normalize_phone

from jaring.imports import normalise as n

from .conftest import TODAY


def run(expr_of, values: list) -> list:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    return frame.select(expr_of(pl.col("v")).alias("out"))["out"].to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/1985", dt.date(1985, 8, 17)),
        ("17-08-85", dt.date(1985, 8, 17)),
        ("17.08.1985", dt.date(1985, 8, 17)),
        ("1985-08-17", dt.date(1985, 8, 17)),
        ("1985-08-17 00:00:00", dt.date(1985, 8, 17)),  # a date cell read from xlsx
        ("31276", dt.date(1985, 8, 17)),  # Excel serial
        ("31276.0", dt.date(1985, 8, 17)),
        ("17 Agustus 1985", dt.date(1985, 8, 17)),
        ("17-Agu-85", dt.date(1985, 8, 17)),
        ("Singkawang, 17-08-1985", dt.date(1985, 8, 17)),  # "tempat, tanggal lahir"
        ("17081985", dt.date(1985, 8, 17)),
        ("01/02/24", dt.date(2024, 2, 1)),  # two digits: the latest century not in the future
        ("01/02/30", dt.date(1930, 2, 1)),
        ("30/02/1985", None),
        ("32/13/1985", None),
        ("kemarin", None),
        (None, None),
    ],
)
def test_dates(text, expected):
    assert run(lambda c: n.date(c, TODAY), [text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L", "M"),
        ("Laki-laki", "M"),
        ("LAKI LAKI", "M"),
        ("Pria", "M"),
        ("P", "F"),
        ("Perempuan", "F"),
        ("wanita", "F"),
        ("X", None),
    ],
)
def test_sex_words(text, expected):
    assert run(n.sex, [text]) == [expected]


@pytest.mark.parametrize(
    ("text", "nik", "mangled"),
    [
        ("6172021708850001", "6172021708850001", False),
        ("6172 0217 0885 0001", "6172021708850001", False),
        ("61.72.02.170885.0001", "6172021708850001", False),
        ("'6172021708850001", "6172021708850001", False),  # Excel's text marker
        ("6172021708850001.0", "6172021708850001", False),  # a number saved with all digits
        ("6.172021708850001E+15", "6172021708850001", False),
        ("6.17202E+15", "6.17202E+15", True),  # ten digits are gone
        ("6,17202E+15", "6,17202E+15", True),
        ("617202170885000", "617202170885000", False),  # too short: the rules say so
        # Through a float, a last 0 may be Excel's (15 significant digits) ...
        ("6172021708850010.0", "6172021708850010.0", True),
        ("6.172021708850010E+15", "6.172021708850010E+15", True),
        ("6.17202170885001E+15", "6.17202170885001E+15", True),
        # ... and above 2**53 an even number may be a float's rounding; an odd one cannot be.
        ("9171011708850002.0", "9171011708850002.0", True),
        ("9171011708850001.0", "9171011708850001", False),
        # Typed as text, every digit is the officer's.
        ("6172021708850010", "6172021708850010", False),
    ],
)
def test_nik_recovery(text, nik, mangled):
    frame = pl.DataFrame({"v": [text]})
    value, lost = n.nik(pl.col("v"))
    out = frame.select(value.alias("nik"), lost.alias("lost")).row(0)
    assert out == (nik, mangled)


def test_names_fold_case_and_spaces():
    assert run(n.name, ["BUDI  SANTOSO", " siti aminah ", "MA'RUF AMIN"]) == [
        "Budi Santoso",
        "Siti Aminah",
        "Ma'ruf Amin",
    ]


def test_rt_rw():
    assert run(n.rt_rw, ["1", "01", "RT 01", "1.0", "001", "12a"]) == [
        "001",
        "001",
        "001",
        "001",
        "001",
        "12a",
    ]
    frame = pl.DataFrame({"v": ["001/002", "1-3", "RT 01 / RW 03", "x"]})
    rt, rw = n.split_rt_rw(pl.col("v"))
    assert frame.select(rt.alias("rt"), rw.alias("rw")).rows() == [
        ("001", "002"),
        ("001", "003"),
        ("001", "003"),
        (None, None),
    ]


def test_phone_agrees_with_lokal_on_every_shape():
    rng = random.Random(7)
    samples = ["", "12", "0812", "(0561) 123456", "+62 561 123456", "021-555-1234", "+6212345678"]
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(6, 14)))
        prefix = rng.choice(["0", "62", "+62", "+62 ", "", "8", "08", "008", "0062"])
        sep = rng.choice(["", " ", "-", "."])
        samples.append(prefix + sep.join([digits[:3], digits[3:7], digits[7:]]))
    frame = pl.DataFrame({"v": samples})
    value, ok = n.phone(n.text(pl.col("v")))
    out = frame.select(value.alias("value"), ok.alias("ok"))
    values, oks = out["value"].to_list(), out["ok"].to_list()
    for text, value, good in zip(samples, values, oks, strict=True):
        expected = normalize_phone(text) if text.strip() else None
        if not text.strip():
            assert value is None and good
        elif expected is None:
            assert not good, text
        else:
            assert (value, good) == (expected, True), text


def test_disability():
    frame = pl.DataFrame(
        {
            "flag": ["Ya", "Tidak", "Netra", None, "-", "??", "Ya", "Ya", None, "ya"],
            "kind": [None, None, None, "Fisik", None, None, "Daksa", "??", "Tidak disebutkan", "-"],
        }
    )
    has, kind, bad = n.disability(pl.col("flag"), pl.col("kind"))
    assert frame.select(has.alias("h"), kind.alias("k"), bad.alias("b")).rows() == [
        # "Ya" with no kind: a disability of a kind not stated, not a refusal (issue 13).
        (True, "unspecified", False),
        (False, None, False),
        (True, "sensory", False),
        (True, "physical", False),
        (False, None, False),
        (False, None, True),
        (True, "physical", False),
        # A kind that cannot be read is still refused, not taken as "not stated".
        (True, None, True),
        (True, "unspecified", False),
        (True, "unspecified", False),
    ]


def test_income():
    assert run(n.income, ["Rp 1.500.000", "1,500,000", "1500000,00", "2000000.0", "abc"]) == [
        1_500_000,
        1_500_000,
        1_500_000,
        2_000_000,
        None,
    ]
