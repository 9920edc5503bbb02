"""What the audit's event names say to an officer: "membership.verified" is "Diverifikasi"
in a history, never the name itself. Data, in both languages (the .po file), for every event a
history panel can show; an unknown name is written out as words rather than shown as a code.
tests/web/test_words.py fails on a page that shows an event's name.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from jaring.core import formats

EVENTS = {
    # registry
    "create": _("Registered"),
    "update": _("Changed"),
    "merge": _("Merged with a duplicate"),
    "merged_into": _("Merged into another record"),
    "marked_distinct": _("Marked as a different person"),
    "worker.died": _("Recorded as deceased"),
    # enrolment
    "membership.enrol": _("Enrolled as a candidate"),
    "membership.candidate": _("Back to candidate"),
    "membership.verified": _("Verified"),
    "membership.submitted": _("Submitted to BPJS"),
    "membership.active": _("Accepted by BPJS: active"),
    "membership.rejected": _("Rejected by BPJS"),
    "membership.expired": _("Cover expired"),
    "membership.renewed": _("Renewed"),
    "membership.ended": _("Ended"),
    "membership.moved_on_merge": _("Membership moved to the kept record (merge)"),
    "bpjs_batch_export": _("BPJS batch made"),
    # claims
    "claim.submitted": _("Claim registered"),
    "claim.verified": _("Claim verified"),
    "claim.approved": _("Claim approved"),
    "claim.paid": _("Claim paid"),
    "claim.rejected": _("Claim rejected"),
    "claim.corrected": _("Claim corrected"),
    "claim.documents": _("Documents added"),
    "claim.moved_on_merge": _("Claim moved to the kept record (merge)"),
    # programmes, contributions
    "programme.create": _("Programme created"),
    "programme.update": _("Programme changed"),
    "programme.copy": _("Copied to the next year"),
    "bill.created": _("Bill made"),
    "bill.members_added": _("Members added to the bill"),
    "bill.credit_applied": _("Credit applied"),
    "payment.recorded": _("Payment recorded"),
    "rates.import": _("Rate table added"),
    # continuity
    "selfpay.opened": _("Self-paid cover opened"),
    "selfpay.paid": _("Self-payment recorded"),
    "selfpay.lapsed": _("Self-paid cover lapsed"),
    "selfpay.stopped": _("Self-paid cover stopped"),
    "selfpay.run": _("Monthly self-payment run"),
    "handover.chosen": _("Choice after city cover recorded"),
}


def event_words(action: str) -> str:
    """The event in the active language; an unknown name as words ("a_b.c" → "A b c")."""
    label = EVENTS.get(action)
    if label is not None:
        return str(label)
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# A rule's formula as the rules write it (rules/benefits.py, rules/rates.py: Indonesian words,
# Indonesian numbers) in the active language. The phrases are the ones the rules write; the school
# levels are those of rules/data/benefits.toml.
_FORMULA_EN = (
    (
        "sesuai kebutuhan medis (tanpa batas biaya; tagihan belum ada)",
        "as medically needed (no cost ceiling; no bill yet)",
    ),
    ("sesuai kebutuhan medis (tanpa batas biaya)", "as medically needed (no cost ceiling)"),
    ("menunggu usia sekolah, mulai", "waiting for school age, from"),
    ("peserta baru", "new members"),
    ("Perguruan tinggi ", "university "),
    ("Pelatihan ", "vocational training "),
    ("TK ", "kindergarten "),
    ("SD ", "primary school "),
    ("SMP ", "junior secondary school "),
    ("SMA ", "senior secondary school "),
)
_ID_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+,\d+(?= ?%)")


def formula_words(text: str, lang: str | None = None) -> str:
    """A rule's formula in the language of the page: "max(48 × Rp1.000.000, …)" is
    "maks(48 × Rp1.000.000, …)" in Indonesian and "max(48 × Rp1,000,000, …)" in English, with the
    rules' Indonesian words in English ("SD 6 × Rp1.500.000": "primary school 6 ×
    Rp1,500,000")."""
    if not text:
        return text
    if formats.language(lang) == "id":
        return text.replace("max(", "maks(")
    for id_words, en_words in _FORMULA_EN:
        text = text.replace(id_words, en_words)
    # 1.500.000 → 1,500,000; 0,24 % → 0.24 %
    return _ID_NUMBER.sub(lambda m: m.group(0).translate(_SWAP), text)


_SWAP = str.maketrans({".": ",", ",": "."})
