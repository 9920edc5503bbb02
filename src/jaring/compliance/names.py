"""Business names reduced to what stays the same when two offices write one business down.

A licence says "PT. Sinar Jaya Abadi", the SME list "Toko Sinar Jaya", BPJS "SINAR JAYA ABADI,
PT": legal forms and shop words are added or left out, punctuation and case differ. `name_key`
keeps the words that name the business, in order. About 3 µs a name: 50,000 in a fraction of a
second, so the matching works each distinct name out once in Python.
"""

from __future__ import annotations

import re

# Legal forms and words for the kind of place, which lists add or leave out at will.
FORMS = frozenset(
    {
        "pt", "cv", "ud", "pd", "fa", "tbk", "persero", "koperasi", "kop", "ksp", "toko", "tk",
        "warung", "warkop", "kedai", "kios", "depot", "rumah", "makan", "rm", "usaha", "dagang",
        "bengkel", "salon", "apotek", "apotik", "the", "and", "dan",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    words = [w for w in _WORD.findall(name.lower()) if w not in FORMS]
    return " ".join(words) or " ".join(_WORD.findall(name.lower()))


def address_key(address: str) -> str:
    """Street words and numbers; "Jl."/"Jalan", "No."/"Nomor" dropped."""
    skip = {"jl", "jln", "jalan", "no", "nomor", "gg", "gang", "rt", "rw", "kel", "kec"}
    return " ".join(w for w in _WORD.findall(address.lower()) if w not in skip)
