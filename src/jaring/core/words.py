"""What the audit's event names say to an officer: "membership.verified" is "Diverifikasi"
in a history, never the name itself. Data, in both languages (the .po file), for every event a
history panel can show; an unknown name is written out as words rather than shown as a code.
tests/web/test_words.py fails on a page that shows an event's name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
