"""Auto-debit: mandates (masked, in scope), the month's instruction file, and result files that
pay, fail with a reminder, refuse bad rows whole, and change nothing when read twice."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.autodebit import services
from jaring.autodebit.models import DebitLine, LineStatus
from jaring.continuity import services as continuity
from jaring.continuity.models import SelfPayment
from jaring.core.errors import DomainError
from jaring.notify.models import Message
from tests.agents.setup import agent, recruit
from tests.continuity.setup import DISCOUNTED, pay, self_payer
from tests.factories import make_user

pytestmark = pytest.mark.django_db
JUNE, JULY = dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def _code(exc) -> tuple[str, str | None]:
    p = exc.value.problems[0]
    return p.code.value, p.field


def _mandate(cover, actor=SYSTEM, ref=None, **changes):
    data = services.MandateInput(
        bank="generic",
        account_number="1234 5678 9012",
        bank_mandate_ref=ref or f"M-{cover.pk}",
        debit_day=10,
        consent_date=dt.date(2026, 6, 1),
        consent_document="Formulir AD-01",
    )
    for k, v in changes.items():
        setattr(data, k, v)
    return services.create_mandate(actor=actor, cover_id=cover.pk, data=data, today=JUNE)


def _results(batch, outcomes: dict[int, tuple[str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["REFERENSI", "STATUS", "KETERANGAN", "REF_BANK"])
    for line in DebitLine.objects.filter(batch=batch).order_by("id"):
        status, reason = outcomes.get(line.cover_id, ("00", ""))
        w.writerow([line.reference, status, reason, f"B{line.pk}"])
    return out.getvalue().encode()


def _two_members(admin):
    a = self_payer(admin, channel="auto_debit")
    b = self_payer(admin, channel="auto_debit", today=dt.date(2026, 6, 2))
    return a, b


def test_a_mandate_keeps_only_the_masked_account_and_is_refused_when_bad():
    admin = make_user(Role.ADMIN)
    cover = self_payer(admin, channel="auto_debit")
    m = _mandate(cover)
    assert m.account_masked == "••••9012"
    assert "123456789012" not in str(m.__dict__)
    other = self_payer(admin, channel="auto_debit")
    for changes, expected in [
        ({"bank": "bank-x"}, ("autodebit_bank_unknown", "bank")),
        ({"account_number": "12ab"}, ("autodebit_account_invalid", "account_number")),
        ({"debit_day": 31}, ("autodebit_day_invalid", "debit_day")),
        ({"consent_date": None}, ("autodebit_consent_required", "consent_date")),
        ({"consent_document": " "}, ("autodebit_consent_required", "consent_document")),
    ]:
        with pytest.raises(DomainError) as exc:
            _mandate(other, **changes)
        assert _code(exc) == expected
    with pytest.raises(DomainError) as exc:
        _mandate(cover, ref="M-2")
    assert _code(exc) == ("autodebit_mandate_active", "cover")


def test_an_agent_may_not_record_a_mandate_for_a_member_not_its_own():
    admin = make_user(Role.ADMIN)
    mine, other = agent(), agent()
    theirs = recruit(other, admin)
    with pytest.raises(DomainError) as exc:
        _mandate(theirs, actor=mine.user)
    assert _code(exc)[0] == "not_found"
    assert _mandate(recruit(mine, admin), actor=mine.user).bank == "generic"


def test_the_month_file_debits_what_is_due_and_results_pay_fail_and_remind():
    admin = make_user(Role.ADMIN)
    a, b = _two_members(admin)
    _mandate(a), _mandate(b)
    continuity.run_month(actor=SYSTEM, month=JUNE, as_of=JUNE)
    continuity.run_month(actor=SYSTEM, month=JULY, as_of=JULY)
    batch = services.make_debit_file(actor=SYSTEM, bank="generic", month=JULY)
    assert (batch.lines, batch.total) == (2, 4 * DISCOUNTED)  # June + July each
    text = services.debit_file(batch).decode()
    assert text.splitlines()[0] == "REFERENSI,NO_MANDAT,NAMA,JUMLAH,TGL_DEBET,BULAN_IURAN"
    assert "2026-06–2026-07" in text and "1234" not in text.replace("2026", "")
    # Asked again for the month: nothing new to debit.
    with pytest.raises(DomainError) as exc:
        services.make_debit_file(actor=SYSTEM, bank="generic", month=JULY)
    assert _code(exc) == ("autodebit_nothing_to_debit", "month")
    data = _results(batch, {b.pk: ("51", "Saldo tidak cukup")})
    _, counts = services.import_results(
        actor=SYSTEM, bank="generic", data=data, file_name="hasil.csv", paid_on=dt.date(2026, 7, 10)
    )
    assert (counts.paid, counts.failed, counts.reminders) == (1, 1, 1)
    a.refresh_from_db(), b.refresh_from_db()
    assert a.paid_through == b.paid_through + 2
    pay_row = SelfPayment.objects.get(cover=a)
    assert (pay_row.channel, pay_row.amount) == ("auto_debit", 2 * DISCOUNTED)
    msg = Message.objects.get()
    assert msg.template == "debit_failed" and "Saldo tidak cukup" in msg.text
    # The same file again changes nothing.
    _, again = services.import_results(
        actor=SYSTEM, bank="generic", data=data, file_name="hasil.csv"
    )
    assert again.already_imported and SelfPayment.objects.count() == 1
    # Another file with the same outcomes leaves the lines as they are; a different outcome
    # for a settled line is refused, naming the row.
    same = data.replace(b"Saldo tidak cukup", b"Saldo kurang")
    assert (
        services.import_results(actor=SYSTEM, bank="generic", data=same, file_name="ulang.csv")[
            1
        ].unchanged
        == 2
    )
    flipped = _results(batch, {})
    with pytest.raises(DomainError) as exc:
        services.import_results(actor=SYSTEM, bank="generic", data=flipped, file_name="x.csv")
    assert exc.value.problems[0].code.value == "autodebit_result_conflict"
    assert "Baris 3" in exc.value.problems[0].message_id
    assert SelfPayment.objects.count() == 1


def test_a_result_for_an_unknown_line_refuses_the_whole_file():
    admin = make_user(Role.ADMIN)
    a, b = _two_members(admin)
    _mandate(a), _mandate(b)
    continuity.run_month(actor=SYSTEM, month=JUNE, as_of=JUNE)
    batch = services.make_debit_file(actor=SYSTEM, bank="generic", month=JUNE)
    for extra, row in (
        (b"JRG1,00,,B1\nXYZ,00,,B2\n", "Baris 5"),
        (b"JRG999999,00,,B1\n", "Baris 4"),
    ):
        with pytest.raises(DomainError) as exc:
            services.import_results(
                actor=SYSTEM, bank="generic", data=_results(batch, {}) + extra, file_name="x.csv"
            )
        problem = exc.value.problems[-1]
        assert problem.code.value == "autodebit_result_unknown_line"
        assert problem.message_id.startswith(row), problem.message_id
    assert not SelfPayment.objects.exists()
    assert set(DebitLine.objects.values_list("status", flat=True)) == {LineStatus.SENT}
    with pytest.raises(DomainError) as exc:
        services.import_results(
            actor=SYSTEM, bank="generic", data=b"REF,STATUS\nJRG1,00\n", file_name="y.csv"
        )
    assert _code(exc) == ("autodebit_result_columns", "file")


def test_a_month_paid_meanwhile_is_not_paid_twice():
    admin = make_user(Role.ADMIN)
    a = self_payer(admin, channel="auto_debit")
    _mandate(a)
    continuity.run_month(actor=SYSTEM, month=JUNE, as_of=JUNE)
    batch = services.make_debit_file(actor=SYSTEM, bank="generic", month=JUNE)
    pay(a, 1, DISCOUNTED, "TUNAI-1", dt.date(2026, 6, 5))
    _, counts = services.import_results(
        actor=SYSTEM, bank="generic", data=_results(batch, {}), file_name="h.csv"
    )
    assert (counts.paid, counts.already_paid) == (0, 1)
    assert DebitLine.objects.get().status == LineStatus.ALREADY_PAID
    assert SelfPayment.objects.filter(cover=a).count() == 1
