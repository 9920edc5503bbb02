"""Claims paid before payments were recorded get one payment of their lump sums (every item but
the scholarships), on their paid_on with their reference, so that the money report, which now
reads payments, still counts them. Their scholarships stay without a year-by-year schedule."""

from django.db import migrations
from django.db.models import Sum


def forwards(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimItem = apps.get_model("claims", "ClaimItem")
    ClaimPayment = apps.get_model("claims", "ClaimPayment")
    paid = Claim.objects.filter(status="paid", paid_on__isnull=False, payments__isnull=True)
    rows = []
    for claim in paid.iterator():
        lump = (
            ClaimItem.objects.filter(claim=claim)
            .exclude(code="scholarship")
            .aggregate(s=Sum("amount"))["s"]
        )
        if lump:
            rows.append(
                ClaimPayment(
                    claim=claim,
                    paid_on=claim.paid_on,
                    reference_kind="transfer",
                    reference=claim.payment_reference or "-",
                    amount=lump,
                )
            )
    ClaimPayment.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_scholarship_years_heirs_payments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
