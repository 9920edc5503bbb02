"""When a programme's cover can start, and whether its agreement (PKS) lets it start.

A programme whose cover starts on the PKS date cannot tell BPJS when cover starts until the
PKS is signed. A copy for next year is a draft without one (last year's PKS does not bind next
year); it may be filled with candidates while the agreement is negotiated, but nobody is sent
to BPJS or renewed into it until its PKS date is entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jaring.core.errors import Conflict, Problem
from jaring.programs.errors import ProgrammeError
from jaring.programs.models import CoverStartRule, Programme

_ACTIONS = {
    "renew": ("memperpanjang keanggotaan ke program ini", "renewing memberships into it"),
    "submit": ("mengajukan pesertanya ke BPJS", "submitting its members to BPJS"),
}


def cover_from(programme: Programme, on: dt.date) -> dt.date:
    """The first day new cover could start: the PKS date, or acceptance no earlier than today."""
    if programme.cover_start_rule == CoverStartRule.PKS_DATE and programme.pks_date:
        return programme.pks_date
    return max(on, dt.date(programme.fiscal_year, 1, 1))


def lacks_agreement(programme: Programme) -> bool:
    return programme.cover_start_rule == CoverStartRule.PKS_DATE and programme.pks_date is None


def check_cover_can_start(programmes: Iterable[Programme], action: str) -> None:
    """Refuses `action` ("renew" or "submit") when a programme waits for its PKS date."""
    doing_id, doing_en = _ACTIONS[action]
    problems = [
        Problem(
            ProgrammeError.PKS_MISSING,
            f"Perlindungan program {p} dimulai dari tanggal PKS, tetapi nomor dan tanggal PKS-nya "
            f"belum diisi. Isi dulu di halaman ubah program sebelum {doing_id}.",
            f"Cover under {p} starts on the PKS date, but its PKS number and date are not "
            f"entered yet. Enter them on the programme's edit page before {doing_en}.",
            field="pks_date",
            params={"programme": p.pk},
        )
        for p in programmes
        if lacks_agreement(p)
    ]
    if problems:
        raise Conflict(*problems)
