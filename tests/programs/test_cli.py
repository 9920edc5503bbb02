"""jaring programme eligibility: a table by default, JSON with --json, filtered by reason."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_worker
from tests.programs.factories import make_programme

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def programme(admin):
    p = make_programme(admin)
    make_worker(admin, full_name="Budi Santoso")
    make_worker(admin, full_name="Rina Kecil", birth_date=dt.date(2015, 1, 1))
    make_worker(admin, full_name="Ahmad Pedagang", category_code="trader")
    return p


def test_a_table_by_default_with_every_message_filled_in(programme, admin):
    text = run("programme", "eligibility", str(programme.pk), "--user", admin.username)
    assert text.startswith("1 of 3 workers eligible.")
    assert "too_young" in text and "Umur di bawah 18 tahun." in text
    assert "{" not in text
    lines = text.splitlines()
    assert any("Budi Santoso" in line and line.endswith("eligible") for line in lines)
    assert any("Rina Kecil" in line and "Umur di bawah 18 tahun." in line for line in lines)


def test_reason_filter_lists_only_the_workers_it_holds_back(programme, admin):
    text = run(
        "programme",
        "eligibility",
        str(programme.pk),
        "--reason",
        "category_not_covered",
        "--user",
        admin.username,
    )
    assert "Ahmad Pedagang" in text and "Budi Santoso" not in text and "Rina Kecil" not in text
    out = json.loads(
        run(
            "programme",
            "eligibility",
            str(programme.pk),
            "--reason",
            "too_young",
            "--json",
            "--user",
            admin.username,
        )
    )
    assert out["counts"]["total"] == 3 and out["counts"]["too_young"] == 1
    [item] = out["items"]
    assert item["full_name"] == "Rina Kecil" and not item["eligible"]
    assert item["reasons"][0]["message_en"] == "Younger than 18."
    assert out["reasons"]["too_old"]["message_id"] == "Umur di atas 65 tahun."


def test_an_unknown_reason_is_refused(programme, admin):
    with pytest.raises(CommandError):
        run(
            "programme",
            "eligibility",
            str(programme.pk),
            "--reason",
            "lazy",
            "--user",
            admin.username,
        )


def test_whole_niks_a_command_prints_are_one_read_by_its_user(programme, admin):
    from jaring.accounts import audit
    from jaring.accounts.models import ReadEvent
    from jaring.registry.models import Worker

    args = ["programme", "eligibility", str(programme.pk), "--user", admin.username]
    with audit.command_reads(args):  # what `jaring ...` (jaring.cli.main) runs a command in
        text = run(*args)
    read = ReadEvent.objects.get()
    assert (read.actor, read.records, read.what) == (admin, 3, "jaring " + " ".join(args))
    niks = set(Worker.objects.values_list("nik", flat=True))
    assert set(read.subjects.values_list("nik", flat=True)) == niks
    assert all(nik in text for nik in niks)
    # A command that prints no NIK leaves no read.
    with audit.command_reads(["programme", "list"]):
        run("programme", "list", "--user", admin.username)
    assert ReadEvent.objects.count() == 1
