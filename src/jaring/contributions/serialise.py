"""Bills and payments as plain data: what the CLI prints with --json and the API answers."""

from __future__ import annotations

from collections.abc import Iterable

from jaring.contributions import payment_services
from jaring.contributions.models import Bill, BillRate, Payment
from jaring.rules.tables import month_text


def bill_dict(bill: Bill) -> dict[str, object]:
    return {
        "id": bill.pk,
        "programme_id": bill.programme_id,
        "programme": str(bill.programme),
        "month": month_text(bill.month),
        "due_date": bill.due_date.isoformat(),
        "due_rule": bill.due_rule,
        "rule_version": bill.rule_version,
        "members": bill.members,
        "jkk": bill.jkk,
        "jkm": bill.jkm,
        "jht": bill.jht,
        "total": bill.total,
        "paid": bill.paid,
        "open": bill.open_amount,
        "lapsed_members": bill.lapsed_members,
        "lapsed_amount": bill.lapsed_amount,
        "status": bill.status,
    }


def rate_dict(r: BillRate) -> dict[str, object]:
    return {
        "category": r.category_id,
        "income_base": r.income_base,
        "sector": r.sector,
        "jkk": r.jkk,
        "jkm": r.jkm,
        "jht": r.jht,
        "amount": r.amount,
        "rule_version": r.rule_version,
        "formulas": r.detail.get("formulas", {}),
        "regulations": r.detail.get("regulations", {}),
    }


def bill_detail(bill: Bill) -> dict[str, object]:
    return bill_dict(bill) | {
        "rates": [rate_dict(r) for r in bill.rates.all()],
        "allocations": [
            {"amount": a.amount, "source": a.source, "payment_id": a.payment_id}
            for a in bill.allocations.all()
        ],
    }


def payment_dicts(payments: Iterable[Payment]) -> list[dict[str, object]]:
    """Payments with their programme's credit balance, read for all programmes at once."""
    payments = list(payments)
    balances = payment_services.credit_balances(p.programme_id for p in payments)
    return [_payment_dict(p, balances[p.programme_id]) for p in payments]


def payment_dict(p: Payment) -> dict[str, object]:
    return payment_dicts([p])[0]


def _payment_dict(p: Payment, credit_balance: int) -> dict[str, object]:
    return {
        "id": p.pk,
        "programme_id": p.programme_id,
        "paid_on": p.paid_on.isoformat(),
        "amount": p.amount,
        "reference": p.reference,
        "to_credit": p.to_credit,
        "note": p.note,
        "bills": [
            {"bill_id": a.bill_id, "month": month_text(a.bill.month), "amount": a.amount}
            for a in p.allocations.all()
        ],
        "credit_balance": credit_balance,
    }
