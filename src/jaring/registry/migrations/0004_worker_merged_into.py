import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_worker_died_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="worker",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_from",
                to="registry.worker",
            ),
        ),
    ]
