"""Every problem's code is a member of an app's enum, and docs/errors.md lists them all."""

import ast
from pathlib import Path

import pytest

from jaring.core.error_catalogue import catalogue, markdown
from jaring.core.errors import CoreError, Problem
from jaring.enrolment.eligibility import REASONS as ELIGIBILITY
from jaring.enrolment.errors import EnrolmentError
from jaring.registry.errors import RegistryError
from jaring.rules.nik import REASONS as NIK

ROOT = Path(__file__).resolve().parents[2]


def _literal_codes() -> list[str]:
    found = []
    for path in sorted((ROOT / "src/jaring").rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", None))
            if name not in ("Problem", "Reason") or not call.args:
                continue
            code = call.args[0]
            if isinstance(code, ast.Constant | ast.JoinedStr):
                found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_no_problem_or_reason_is_given_a_string_code():
    assert _literal_codes() == []


def test_a_problem_refuses_a_string_code():
    with pytest.raises(TypeError):
        Problem("not_found", "Tidak ditemukan.", "Not found.")  # type: ignore[arg-type]


def test_codes_stay_strings_on_the_wire():
    problem = Problem(CoreError.NOT_FOUND, "Tidak ditemukan.", "Not found.")
    assert problem.as_dict()["code"] == "not_found"
    assert CoreError("invalid_missing").statuses == (422,)
    assert CoreError("http_405").statuses == (405,)


def test_every_refused_nik_has_its_registry_code():
    for reason in NIK.values():
        assert RegistryError(f"nik_{reason.code}").statuses == (422,)


def test_every_eligibility_reason_has_its_enrolment_code():
    for reason in ELIGIBILITY:
        assert EnrolmentError(f"ineligible_{reason.code}").statuses == (409,)


def test_no_enum_gives_one_code_two_names():
    # Enum would make the second name an alias of the first, silently.
    for enum in {type(e.code) for e in catalogue()}:
        assert len(enum.__members__) == len(enum), enum


def test_docs_errors_md_is_up_to_date():
    page = (ROOT / "docs/errors.md").read_text(encoding="utf-8")
    assert page == markdown(), "run: jaring errors > docs/errors.md"
