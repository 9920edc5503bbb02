import json

import pytest
from django.core.management import CommandError, call_command

from jaring.enrolment.models import Membership
from tests.enrolment.test_api import PROGRAMME
from tests.factories import make_worker
from tests.programs.factories import JKK_JKM

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_programme_and_enrolment_from_the_command_line(admin, tmp_path):
    spec = tmp_path / "programme.json"
    spec.write_text(json.dumps(PROGRAMME))
    pid = run("programme", "create", str(spec), "--user", admin.username)["id"]
    make_worker(admin)
    make_worker(admin, category_code="trader")
    counts = run("programme", "eligibility", str(pid), "--user", admin.username)["counts"]
    assert (counts["total"], counts["eligible"]) == (2, 1)
    enrol = ("enrolment", "enrol", "--programme", str(pid), "--only-eligible")
    # --dry-run: what would be enrolled, at what cost against the remaining budget; nothing kept.
    assert run(*enrol, "--dry-run", "--user", admin.username) == {
        "enrolled": 1,
        "dry_run": True,
        "cost": 5 * JKK_JKM,
        "remaining_budget": 100_000_000,
    }
    assert not Membership.objects.exists()
    assert run(*enrol, "--user", admin.username) == {"enrolled": 1}
    verify = ("enrolment", "verify", "--programme", str(pid), "--user", admin.username)
    assert run(*verify, "--dry-run") == {"verified": 1, "dry_run": True}
    assert Membership.objects.get().status == "candidate"
    assert run(*verify) == {"verified": 1}
    b = run("programme", "budget", str(pid), "--user", admin.username)
    assert b["enrolled"] == 5 * JKK_JKM
    w = run(
        "programme",
        "what-if",
        str(pid),
        "--workers",
        "3",
        "--months",
        "5",
        "--user",
        admin.username,
    )
    assert w["cost"]["total"] == 3 * 5 * JKK_JKM
    copy = run("programme", "copy", str(pid), "--user", admin.username)
    assert copy["fiscal_year"] == 2027 and copy["previous"] == pid


def test_refusals_exit_2_and_print_the_problems(admin, tmp_path, capsys):
    spec = tmp_path / "programme.json"
    spec.write_text(json.dumps(PROGRAMME))
    pid = run("programme", "create", str(spec), "--user", admin.username)["id"]
    make_worker(admin)
    run("enrolment", "enrol", "--programme", str(pid), "--user", admin.username)
    m = Membership.objects.get()
    with pytest.raises(CommandError) as exc:
        call_command(
            "enrolment",
            "activate",
            str(m.pk),
            "--kpj",
            "26012345678",
            "--json",
            "--user",
            admin.username,
        )
    assert exc.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "illegal_transition"


def test_a_programme_over_its_ceiling_is_saved_with_confirm_or_a_yes(
    admin, tmp_path, capsys, monkeypatch
):
    spec = tmp_path / "programme.json"
    spec.write_text(json.dumps(PROGRAMME | {"budget_ceiling": 500_000}))
    create = ("programme", "create", str(spec), "--user", admin.username)
    # Not at a terminal: refused with the code, nothing saved.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError) as exc:
        call_command(*create, "--json")
    assert exc.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "over_budget_ceiling"
    # At a terminal it asks: "n" refuses, "y" saves.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError):
        call_command(*create, "--json")
    assert "Rp840.000" in capsys.readouterr().err
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert run(*create)["budget_ceiling"] == 500_000
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    spec.write_text(json.dumps(PROGRAMME | {"name": "Dua", "budget_ceiling": 500_000}))
    assert run(*create, "--confirm")["name"] == "Dua"
