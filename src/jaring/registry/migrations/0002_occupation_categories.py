from django.db import migrations

# The groups the real programmes cover (shared/seeds/SUMMARY.md), each in one of BPJS's four
# ecosystems for extending membership: village, market, e-commerce/UMKM, vulnerable workers.
CATEGORIES = [
    ("rt_head", "Ketua RT", "RT head", "village"),
    ("rw_head", "Ketua RW", "RW head", "village"),
    ("posyandu_cadre", "Kader posyandu", "Posyandu cadre", "village"),
    ("religious_worker", "Pekerja sosial keagamaan", "Religious social worker", "village"),
    ("trc_volunteer", "Relawan TRC (BPBD)", "TRC disaster volunteer", "vulnerable"),
    ("firefighter", "Petugas pemadam kebakaran", "Firefighter", "vulnerable"),
    ("ojek_driver", "Pengemudi ojek", "Ojek driver", "ecommerce_umkm"),
    ("trader", "Pedagang", "Trader", "market"),
    ("fisher", "Nelayan", "Fisher", "vulnerable"),
    ("farmer", "Petani", "Farmer", "vulnerable"),
    ("palm_oil_worker", "Pekerja sawit (BPU)", "Oil-palm worker (BPU)", "vulnerable"),
    ("masseur", "Tukang pijat tradisional", "Traditional masseur", "vulnerable"),
    ("mechanic", "Montir", "Mechanic", "ecommerce_umkm"),
    ("courier", "Kurir", "Courier", "ecommerce_umkm"),
    ("other", "Lainnya", "Other", "vulnerable"),
]


def seed(apps, schema_editor):
    category = apps.get_model("registry", "OccupationCategory")
    category.objects.bulk_create(
        [
            category(code=code, name_id=name_id, name_en=name_en, ecosystem=eco, sort=i)
            for i, (code, name_id, name_en, eco) in enumerate(CATEGORIES)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
