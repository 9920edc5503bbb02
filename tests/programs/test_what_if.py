"""What-if on the programme page, API and CLI: inputs refused under their form labels."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jaring.core.errors import ValidationFailed
from jaring.programs import what_if
from tests.programs.factories import JKK_JKM, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(admin):
    return make_programme(admin, budget_ceiling=80_539_200)


def messages(exc) -> list[tuple[str, str, str]]:
    return [(p.field, p.message_id, p.message_en) for p in exc.value.problems]


def test_text_is_refused_naming_the_field_as_the_form_labels_it(programme):
    with pytest.raises(ValidationFailed) as exc:
        what_if.answer(programme, budget_rp="abc", workers="0", category="fisher")
    assert messages(exc) == [
        (
            "budget",
            "Anggaran (Rp) harus berupa bilangan bulat, bukan 'abc'.",
            "Budget (Rp) must be a whole number, not 'abc'.",
        ),
        ("workers", "Jumlah pekerja harus lebih dari 0.", "Workers must be more than 0."),
    ]


def test_months_or_a_category_is_needed_and_something_must_be_asked(programme):
    with pytest.raises(ValidationFailed) as exc:
        what_if.answer(programme, workers=10)
    assert exc.value.problems[0].code == "what_if_months_required"
    with pytest.raises(ValidationFailed) as exc:
        what_if.answer(programme, months=5)
    assert exc.value.problems[0].code == "what_if_nothing_asked"


def test_rupiah_as_officers_type_it(programme):
    out = what_if.answer(programme, budget_rp="Rp840.000", months="5")
    assert out["capacity"]["workers"] == 840_000 // (5 * JKK_JKM)
    assert what_if.answer(programme, workers="1,000", category="fisher")["cost"]["workers"] == 1000


def test_the_page_formats_rupiah_and_shows_the_labelled_message(client, admin, programme):
    client.force_login(admin)
    page = client.get(f"/programmes/{programme.pk}/", {"workers": "7737", "category": "fisher"})
    body = page.content.decode()
    assert "Rp80.539.200" in body  # the ceiling
    assert "Rp649.908.000" in body and "7.737" in body  # 7,737 × 5 × 16,800
    assert "Rp16.800" in body
    bad = client.get(f"/programmes/{programme.pk}/", {"budget": "abc"}).content.decode()
    assert "Anggaran (Rp) harus berupa bilangan bulat, bukan &#x27;abc&#x27;." in bad
    assert "bukan 0" not in bad


def test_the_api_and_the_command_use_the_same_messages(client, admin, programme):
    client.force_login(admin)
    r = client.get(f"/api/programmes/{programme.pk}/what-if", {"workers": 0, "months": 5})
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert (error["field"], error["message_id"]) == (
        "workers",
        "Jumlah pekerja harus lebih dari 0.",
    )
    out = StringIO()
    call_command(
        "programme",
        "what-if",
        str(programme.pk),
        "--budget",
        "Rp1.680.000",
        "--months",
        "5",
        "--json",
        "--user",
        admin.username,
        stdout=out,
    )
    assert json.loads(out.getvalue())["capacity"]["workers"] == 20
    with pytest.raises(CommandError):
        call_command(
            "programme",
            "what-if",
            str(programme.pk),
            "--budget",
            "abc",
            "--user",
            admin.username,
            stderr=StringIO(),
        )


def test_the_api_answers_the_same_figures_under_its_schemas(client, admin, programme):
    client.force_login(admin)
    asked = {"workers": 10, "budget": 840_000, "months": 5}
    r = client.get(f"/api/programmes/{programme.pk}/what-if", asked)
    assert r.status_code == 200
    same = what_if.answer(programme, budget_rp=840_000, workers=10, months=5)
    assert r.json() == json.loads(json.dumps(same))
    assert r.json()["cost"]["per_benefit"].keys() == {"JKK", "JKM"}  # no JHT: not carried
