"""The sanction ladder as data (PP 86/2013, Permenaker 4/2018): which step may follow which,
and when.

A micro business is coached (pembinaan: visits with agreed steps and a follow-up date; another
visit, or the ladder when coaching does not work); any other starts at the first written warning:
warning 1 → warning 2 (each gives the employer `warning_working_days` working days) → fine
(imposed within `fine_due_days` after the second warning ran out, and payable within as many
days) → public services withheld → referral to the prosecutor (Kejari). The figures are the
`sanctions` rule table's; this module says only the order.
"""

from __future__ import annotations

from jaring.compliance.models import Step as S

# step → the steps that may follow it ("" : a case with no step yet, by coaching or not).
NEXT: dict[tuple[bool, str], tuple[str, ...]] = {
    (True, ""): (S.COACHING,),
    (False, ""): (S.WARNING_1,),
    (True, S.COACHING): (S.COACHING, S.WARNING_1),
    (False, S.WARNING_1): (S.WARNING_2,),
    (False, S.WARNING_2): (S.FINE,),
    (False, S.FINE): (S.WITHHOLD,),
    (False, S.WITHHOLD): (S.KEJARI,),
    (False, S.KEJARI): (),
}
# Steps with a letter to the employer (a coaching visit leaves minutes, kept as its notes).
LETTERS = (S.WARNING_1, S.WARNING_2, S.FINE, S.WITHHOLD, S.KEJARI)
# For messages in Bahasa Indonesia whatever the request language.
STEP_ID = {
    "": "belum ada langkah",
    S.COACHING: "kunjungan pembinaan",
    S.WARNING_1: "teguran tertulis pertama",
    S.WARNING_2: "teguran tertulis kedua",
    S.FINE: "denda",
    S.WITHHOLD: "permintaan tidak mendapat pelayanan publik tertentu",
    S.KEJARI: "pelimpahan ke Kejaksaan Negeri",
}


def next_steps(coaching: bool, step: str) -> tuple[str, ...]:
    # Once the ladder starts (a warning after coaching), the case follows it.
    return NEXT.get((coaching and step in ("", S.COACHING), step), ())
