from django.db import migrations


def load(apps, schema_editor):
    from jaring.regions import loader

    loader.load(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionDataset"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
