"""Every page in words, for every role, in both languages (issue 15): no status, category, kind,
event or rule shown by its code, no amount without its thousands separators or with the other
language's. The Django test client, not a browser: one small city, each page once per role and
language.

The codes looked for are every TextChoices value of the apps (where it differs from its label),
the occupation categories' codes and the audit's event names. In English pages only codes with
"_" or "." are looked for: "active" or "verified" are English words there.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from jaring.accounts.models import AuditEvent, Role
from jaring.contributions import services as billing
from jaring.contributions.models import Bill
from jaring.registry.models import OccupationCategory
from tests.claims.setup import register
from tests.contributions import setup
from tests.factories import PASIRAN, make_user, make_worker, pass_second_factor

pytestmark = pytest.mark.django_db

ROLES = [
    (Role.ADMIN, None),
    (Role.PROGRAMME_OFFICER, "61.72"),
    (Role.ENUMERATOR, PASIRAN),
    (Role.BPJS_OFFICER, "61.72"),
    (Role.COMPLIANCE_OFFICER, "61.72"),
    (Role.VIEWER, "61.72"),
]
UNGROUPED = re.compile(r"Rp\s?\d{4,}")
WRONG_GROUPS = {"id": re.compile(r"Rp\d{1,3}(,\d{3})+"), "en": re.compile(r"Rp\d{1,3}(\.\d{3})+")}


def _all_choices(cls=models.TextChoices):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_choices(sub)


def _codes() -> set[str]:
    codes = set()
    for choices in _all_choices():
        for value, label in choices.choices:
            if len(value) >= 3 and value.lower() != str(label).lower() and value.islower():
                codes.add(value)
    codes |= set(OccupationCategory.objects.values_list("code", flat=True))
    codes |= set(AuditEvent.objects.values_list("action", flat=True))
    return codes


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    # A rule's formula and citation quoted as the regulation tables store them (rules/data):
    # their wording is the tables', checked by tests/rules.
    html = re.sub(r"(?s)<(td|span)\b[^>]*\bdata-verbatim\b[^>]*>.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def city(admin):
    programme = setup.programme(admin)
    active = setup.member(admin, programme, dt.date(2026, 2, 1))
    setup.member(admin, programme, dt.date(2026, 3, 1), category="palm_oil_worker")
    make_worker(admin, PASIRAN, full_name="Calon Peserta", category_code="fisher")
    billing.bill_programme(programme=programme, month=dt.date(2026, 3, 1), actor=admin)
    claim = register(admin, active)
    return {
        "programme": programme,
        "membership": active,
        "worker": active.worker,
        "bill": Bill.objects.first(),
        "claim": claim,
    }


def _pages(city) -> list[str]:
    p, m = city["programme"].pk, city["membership"].pk
    return [
        reverse("worker-list"),
        reverse("worker-detail", args=[city["worker"].pk]),
        reverse("imports:list"),
        reverse("dedupe:queue"),
        reverse("programs:list"),
        reverse("programs:detail", args=[p]),
        reverse("programs:eligibility", args=[p]),
        reverse("programs:edit", args=[p]),
        reverse("enrolment:list"),
        reverse("enrolment:detail", args=[m]),
        reverse("enrolment:bpjs:index"),
        reverse("enrolment:bpjs:page", args=[p]),
        reverse("contributions:bills"),
        reverse("contributions:bill", args=[city["bill"].pk]),
        reverse("contributions:payments"),
        reverse("contributions:arrears"),
        reverse("continuity:handover"),
        reverse("claims:list"),
        reverse("claims:detail", args=[city["claim"].pk]),
        reverse("claims:report"),
        reverse("compliance:work"),
        reverse("compliance:report"),
        reverse("coverage:dashboard", args=["61.72"]),
        reverse("account"),
    ]


def test_every_page_in_words_for_every_role_in_both_languages(city):
    codes = _codes()
    raw_any = re.compile(
        r"(?<![\w./-])(" + "|".join(map(re.escape, sorted(codes))) + r")(?![\w/-])"
    )
    compound = sorted(c for c in codes if "_" in c or "." in c)
    raw_en = re.compile(r"(?<![\w./-])(" + "|".join(map(re.escape, compound)) + r")(?![\w/-])")
    found: list[str] = []
    opened = 0
    for role, scope in ROLES:
        user = make_user(role, scope)
        for language in ("id", "en"):
            client = Client()
            client.force_login(user)
            pass_second_factor(client, user)
            client.cookies["django_language"] = language
            for url in _pages(city):
                response = client.get(url, follow=True)
                if response.status_code in (403, 404):
                    continue  # not this role's page (tests/web/test_menu.py)
                assert response.status_code == 200, (role, language, url)
                opened += 1
                text = _visible_text(response.content.decode())
                raw = raw_any if language == "id" else raw_en
                for what, pattern in (
                    ("code", raw),
                    ("amount", UNGROUPED),
                    ("amount", WRONG_GROUPS[language]),
                ):
                    hits = {m.group(0): m.start() for m in pattern.finditer(text)}
                    for hit, at in sorted(hits.items()):
                        around = " ".join(text[max(0, at - 40) : at + 40].split())
                        found.append(f"{role} {language} {url}: {what} {hit!r} in {around!r}")
    assert opened > 100
    assert not found, "\n".join(found)
