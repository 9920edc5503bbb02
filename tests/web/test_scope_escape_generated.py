"""Every route, by every role of Kota Singkawang, against Kota Pontianak's records.

The routes come from the URL configuration and from the API's OpenAPI document, so a new route
is tried as soon as it exists: the test fails on a route it does not know how to fill (add it to
the tables below). A route naming one of Pontianak's records must answer 404 (or 403 when the
role may not use the route at all), whatever the method; a write naming them in its JSON body
is refused (403, 404, or 422 for a region the role may not touch) and leaves Pontianak as it
was; every answer, lists included, must not show Pontianak's names, NIKs, KPJ, programme or
file names.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jaring.accounts.models import Role
from jaring.accounts.scope import SYSTEM
from jaring.accounts.services import create_token
from jaring.agents import services as agents
from jaring.api.routes import api
from jaring.autodebit import services as autodebit
from jaring.autodebit.models import DebitBatch, DebitLine, Mandate
from jaring.claims.entitlements import ChildInput
from jaring.claims.models import Claim
from jaring.compliance import services as compliance
from jaring.compliance.matching import find_leads
from jaring.compliance.models import EmployerLink, Lead
from jaring.compliance.sources import import_list as import_employers
from jaring.continuity import services as continuity
from jaring.continuity.models import HandoverChoice
from jaring.contributions import payment_services
from jaring.contributions import services as billing
from jaring.contributions.models import Bill, BillingRun, Payment
from jaring.contributions.services import period_of
from jaring.coverage.models import CoverageTarget, SegmentCount, WorkingPopulation
from jaring.dedupe.models import ProbableDuplicate
from jaring.enrolment import services as enrolment
from jaring.enrolment.exchange import services as exchange
from jaring.enrolment.external.services import import_external_cover
from jaring.enrolment.models import Membership
from jaring.imports import services as imports
from jaring.imports.models import ValueSynonym
from jaring.programs.models import Programme
from jaring.registry.models import Worker
from jaring.rules.nik import compose
from tests.claims.setup import register, upload
from tests.contributions.setup import ENROLLED_ON, member, programme
from tests.factories import PASIRAN, PONTIANAK_VILLAGE, make_user, make_worker

pytestmark = pytest.mark.django_db

OTHER_CITY = "61.71"
PROGRAMME_NAME = "Program Khatulistiwa Rahasia"
FILE_NAME = "daftar-rahasia-pontianak.csv"
EMPLOYER_NAME = "PT Rahasia Khatulistiwa"
SYNONYM_VALUE = "Penoreh Rahasia"
AGENT_NAME = "Agen Rahasia Khatulistiwa"
MANDATE_REF = "MANDAT-RAHASIA"
START = dt.date(2026, 2, 1)
# Each role as Kota Singkawang has it (the enumerator in one of its villages); the administrator
# is a city one too: a national administrator sees Pontianak by right.
ROLES = {
    Role.ADMIN: "61.72",
    Role.PROGRAMME_OFFICER: "61.72",
    Role.ENUMERATOR: PASIRAN,
    Role.BPJS_OFFICER: "61.72",
    Role.COMPLIANCE_OFFICER: "61.72",
    Role.VIEWER: "61.72",
    Role.AGENT: "61.72",
}

# --- the web pages ------------------------------------------------------------------------------

# Pages naming one record: which of Pontianak's records fills each parameter.
WEB_OBJECTS = {
    "worker-detail": {"pk": "worker"},
    "worker-edit": {"pk": "worker"},
    "imports:detail": {"pk": "batch"},
    "imports:remap": {"pk": "batch"},
    "imports:check_again": {"pk": "batch"},
    "imports:commit": {"pk": "batch"},
    "imports:rejected": {"pk": "batch"},
    "imports:values": {"pk": "batch"},
    "imports:synonym_change": {"pk": "synonym"},
    "dedupe:pair": {"pk": "pair"},
    "dedupe:merge": {"pk": "pair"},
    "dedupe:distinct": {"pk": "pair"},
    "programs:detail": {"pk": "programme"},
    "programs:edit": {"pk": "programme"},
    "programs:copy": {"pk": "programme"},
    "programs:eligibility": {"pk": "programme"},
    "enrolment:detail": {"pk": "membership"},
    "enrolment:bpjs:page": {"pk": "programme"},
    "enrolment:bpjs:export": {"pk": "programme"},
    "enrolment:bpjs:response": {"pk": "programme"},
    "enrolment:bpjs:profile": {"pk": "programme"},
    "contributions:statements": {"pk": "programme"},
    "enrolment:bpjs:cards": {"pk": "programme"},
    "enrolment:bpjs:batch-file": {"batch_id": "submission", "file_format": "csv"},
    "enrolment:bpjs:card": {"membership_id": "membership"},
    "contributions:bill": {"pk": "bill"},
    "contributions:document": {"pk": "bill", "kind": "xlsx"},
    "continuity:choose": {"pk": "membership"},
    "continuity:cover": {"pk": "cover"},
    "agents:agent": {"pk": "agent"},
    "autodebit:new": {"pk": "cover"},
    "autodebit:end": {"pk": "mandate"},
    "autodebit:consent": {"pk": "mandate"},
    "claims:detail": {"pk": "claim"},
    "claims:correct": {"pk": "claim"},
    "claims:transition": {"pk": "claim"},
    "claims:documents": {"pk": "claim"},
    "claims:document": {"pk": "document"},
    "claims:claim_year": {"pk": "claim"},
    "claims:year_action": {"pk": "claim", "year": "scholarship_year"},
    "claims:stop_scholarship": {"pk": "claim"},
    "compliance:open": {"pk": "lead"},
    "compliance:employer": {"pk": "employer"},
    "compliance:case": {"pk": "case"},
    "compliance:step": {"pk": "case"},
    "compliance:close": {"pk": "case"},
    "compliance:letter": {"pk": "letter"},
    "compliance:add_evidence": {"pk": "case"},
    "compliance:evidence": {"pk": "evidence"},
    "compliance:unlink": {"pk": "link"},
    "coverage:dashboard": {"code": "region"},
    "coverage:figures": {"code": "region"},
    "coverage:report": {"code": "region"},
}
# Pages with a parameter that names no region's record.
WEB_UNSCOPED = {
    "public:card": "the public check: a card's signed token, no login",
    "region-select": "reference data; tests/web/test_scope_escape.py tries its region queries",
}
# Pages not to request as a logged-in user at all.
WEB_SKIPPED = {
    "logout": "it would end the session the other routes need",
    "login": "the login form",
    "set_language": "the language switch",
}

# --- the API ------------------------------------------------------------------------------------

# Paths naming one record, by the path up to the parameter (the same name means different
# records under different prefixes: /imports/{batch_id} is an upload, /bpjs/batches/{batch_id}
# a submission batch).
API_OBJECTS = {
    "/api/workers/{worker_id}": "worker",
    "/api/imports/{batch_id}": "batch",
    "/api/imports/synonyms/{synonym_id}": "synonym",
    "/api/duplicates/{pair_id}": "pair",
    "/api/programmes/{programme_id}": "programme",
    "/api/enrolment/memberships/{membership_id}": "membership",
    "/api/bpjs/programmes/{programme_id}": "programme",
    "/api/bpjs/batches/{batch_id}": "submission",
    "/api/bpjs/memberships/{membership_id}": "membership",
    "/api/contributions/bills/{bill_id}": "bill",
    "/api/contributions/programmes/{programme_id}": "programme",
    "/api/contributions/runs/{run_id}": "run",
    "/api/continuity/covers/{cover_id}": "cover",
    "/api/claims/{claim_id}": "claim",
    "/api/claims/documents/{document_id}": "document",
    "/api/claims/scholarship-years/{year_id}": "scholarship_year",
    "/api/compliance/employers/{employer_id}": "employer",
    "/api/compliance/leads/{lead_id}": "lead",
    "/api/compliance/cases/{case_id}": "case",
    "/api/compliance/steps/{step_id}": "letter",
    "/api/compliance/evidence/{evidence_id}": "evidence",
    "/api/compliance/links/{link_id}": "link",
    "/api/agents/{agent_id}": "agent",
    "/api/autodebit/mandates/{mandate_id}": "mandate",
    "/api/autodebit/files/{batch_id}": "debit_batch",
}
API_FIXED = {"kind": "xlsx"}
API_UNSCOPED = {
    "/api/duplicates/runs/{run_id}": "a national duplicate-detection run, not a region's record",
    "/api/imports/template.{kind}": "the empty template",
}
# Lists aimed at Pontianak through their filters: they must answer 404 or show nothing of it.
API_QUERIES = {
    "/api/coverage/": {"region": OTHER_CITY},
    "/api/coverage/dashboard": {"region": OTHER_CITY},
    "/api/claims/reports/money": {"region": OTHER_CITY},
    "/api/continuity/retention": {"region": OTHER_CITY},
    "/api/compliance/leads": {"region": OTHER_CITY},
    "/api/compliance/cases": {"region": OTHER_CITY},
    "/api/compliance/report": {"region": OTHER_CITY},
    "/api/workers/": {"district": "61.71.01"},
    "/api/enrolment/memberships": {"q": "Lim"},
    "/api/external-cover/": {"nik": "6171"},
}
# Writes without a record in their path: what they touch is in the JSON body, which names
# Pontianak's records and region (`records` as the fixture returns them).
API_BODIES = {
    ("post", "/api/workers/"): lambda r: {
        "nik": compose(PONTIANAK_VILLAGE[:8], dt.date(1981, 6, 7), "F", 9302),
        "full_name": "Mei Ling",
        "birth_date": "1981-06-07",
        "sex": "F",
        "village": PONTIANAK_VILLAGE,
        "category": "trader",
    },
    ("post", "/api/programmes/"): lambda r: {
        "name": "Program Singkawang di Pontianak",
        "funder": "city_apbd",
        "participation_code": "SG",
        "region": OTHER_CITY,
        "fiscal_year": 2026,
        "budget_ceiling": 1_000_000,
        "min_age": 15,
        "max_age": 60,
        "categories": [
            {"category": "trader", "cover_months": 12, "quota": 10, "income_base": 1_000_000}
        ],
    },
    ("post", "/api/enrolment/enrol"): lambda r: {
        "programme": r["programme"],
        "workers": [r["worker"]],
    },
    ("post", "/api/enrolment/bulk"): lambda r: {
        "action": "end",
        "end_reason": "withdrawn",
        "programme": r["programme"],
        "ids": [r["membership"]],
    },
    ("post", "/api/enrolment/expire"): lambda r: {"programme": r["programme"]},
    ("post", "/api/enrolment/renew"): lambda r: {
        "into": r["programme"],
        "ids": [r["membership"]],
    },
    ("post", "/api/contributions/runs"): lambda r: {
        "month": "2026-03",
        "programme_id": r["programme"],
    },
    ("post", "/api/contributions/payments"): lambda r: {
        "programme_id": r["programme"],
        "paid_on": "2026-02-10",
        "amount": 16_800,
        "reference": "TRF-SINGKAWANG",
        "bills": [r["bill"]],
    },
    ("post", "/api/continuity/choices"): lambda r: {
        "membership_id": r["membership"],
        "choice": "stop",
    },
    ("post", "/api/autodebit/mandates"): lambda r: {
        "cover_id": r["cover"],
        "bank": "generic",
        "account_number": "1234567890",
        "bank_mandate_ref": "M-SINGKAWANG",
        "debit_day": 10,
        "consent_date": "2026-01-20",
        "consent_document": "AD-01",
    },
    ("post", "/api/claims/"): lambda r: {
        "membership_id": r["membership"],
        "kind": "death",
        "event_date": "2026-03-01",
        "description": "Meninggal dunia",
    },
    ("post", "/api/imports/synonyms"): lambda r: {
        "field": "category",
        "value": "Buruh Rahasia",
        "code": "farmer",
        "region": OTHER_CITY,
    },
    ("put", "/api/coverage/populations"): lambda r: {
        "region": OTHER_CITY,
        "year": 2026,
        "people": 1000,
        "source": "estimate",
    },
    ("put", "/api/coverage/targets"): lambda r: {
        "region": OTHER_CITY,
        "year": 2026,
        "target_pct": "50",
    },
    ("put", "/api/coverage/counts"): lambda r: {
        "region": OTHER_CITY,
        "month": "2026-02",
        "segment": "self_paid",
        "participants": 5,
    },
}
# Writes whose body names no region's record, and uploads: the areas' own tests try the
# uploads with other regions' rows (e.g. tests/imports, tests/enrolment/external).
API_BODY_UNSCOPED = {
    ("post", "/api/nik/check"): "reads the NIKs it is given, never the registry",
    ("post", "/api/duplicates/runs"): "a national duplicate-detection run",
    ("post", "/api/contributions/rates"): "national rule tables, an upload",
    ("post", "/api/continuity/runs"): "the monthly self-payment run, the whole country's",
    ("post", "/api/compliance/lists"): "an upload",
    ("post", "/api/compliance/match"): "not tried here yet: came with compliance, for its owner",
    ("post", "/api/imports/"): "an upload",
    ("post", "/api/autodebit/files"): "a bank's file of the user's own region's mandates",
    ("post", "/api/autodebit/results"): "an upload (tests/autodebit: another region's lines)",
    ("post", "/api/notify/opt-outs"): "a phone number, no region's record",
    ("post", "/api/external-cover/import"): "an upload",
    ("post", "/api/coverage/populations/import"): "an upload",
    ("post", "/api/coverage/counts/import"): "an upload",
}


def web_routes() -> list[tuple[str, str]]:
    """(route, name) of every page outside the admin site and the API."""

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, [namespace, p.namespace]))
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), ":".join(filter(None, [namespace, p.name or ""]))

    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns, "", "")
        if not route.startswith(("admin/", "api/"))
    ]


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI document."""
    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, ops in paths.items() for method in ops]


def _fill_web(route: str, name: str, records: dict) -> str:
    params = WEB_OBJECTS[name]
    path = route
    for param in re.findall(r"<(?:\w+:)?(\w+)>", route):
        value = params[param]
        value = records.get(value, value)
        path = re.sub(rf"<(?:\w+:)?{param}>", str(value), path)
    return "/" + path


def _fill_api(path: str, records: dict) -> str | None:
    """The path with Pontianak's record in it; None for a path naming no region's record."""
    if path in API_UNSCOPED:
        return None
    for param in re.findall(r"{(\w+)}", path):
        head = path[: path.index("{" + param + "}") + len(param) + 2]
        if param in API_FIXED:
            value = API_FIXED[param]
        elif head in API_OBJECTS:
            value = records[API_OBJECTS[head]]
        else:
            raise KeyError(f"{path}: no record for {{{param}}}")
        path = path.replace("{" + param + "}", str(value))
    return path


@pytest.fixture
def pontianak(settings, tmp_path):
    """One of each record in Kota Pontianak, made through the services (by national users);
    returns their ids by kind and the texts that must not show up in Singkawang."""
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = make_user(Role.ADMIN)
    city_officer = make_user(Role.PROGRAMME_OFFICER, OTHER_CITY)
    prog = programme(admin, name=PROGRAMME_NAME, region_code=OTHER_CITY)
    m = member(admin, prog, START, village=PONTIANAK_VILLAGE, full_name="Lim Ah Kiong")
    billing.run_month(actor=SYSTEM, month=START, as_of=START)
    bill = Bill.objects.get(programme=prog)
    payment_services.record_payment(
        actor=admin, programme=prog, paid_on=START, amount=16_800, reference="TRF-RAHASIA"
    )
    self_paid = continuity.record_choice(
        actor=admin,
        membership_id=m.pk,
        data=continuity.ChoiceInput("self_paid", income=1_000_000, channel="bank"),
        today=START,
    ).cover
    continuity.record_payment(
        actor=admin,
        cover_id=self_paid.pk,
        data=continuity.PaymentInput(1, 8_400, "bank", "TRF-MANDIRI-RAHASIA", START),
        today=START,
    )
    # A JKM death with a child at school: a scholarship year to aim at.
    claim = register(
        admin,
        m,
        docs=[upload()],
        prior_months=36,
        children=(ChildInput("Mei", dt.date(2015, 1, 1), "sd"),),
    )
    twin = make_worker(admin, PONTIANAK_VILLAGE, full_name="Lim Ah Kiong")
    pair = ProbableDuplicate.objects.create(
        worker=m.worker,
        other_worker=twin,
        nik_pair="|".join(sorted([m.worker.nik, twin.nik])),
        match_probability=0.99,
        match_weight=12.0,
        province_code="61",
        regency_code=OTHER_CITY,
        district_code=PONTIANAK_VILLAGE[:8],
        village_id=PONTIANAK_VILLAGE,
    )
    enrolment.enrol(
        actor=admin, programme=prog, workers=Worker.objects.filter(pk=twin.pk), on=ENROLLED_ON
    )
    enrolment.verify(actor=admin, memberships=Membership.objects.filter(worker=twin))
    submission = exchange.export_batch(actor=admin, programme_id=prog.pk, file_format="csv")
    stranger = compose(PONTIANAK_VILLAGE[:8], dt.date(1980, 5, 5), "M", 9301)
    cover = tmp_path / "bpu-pontianak.csv"
    cover.write_text(
        f"nik,segment,benefits,start,end,kpj\n{stranger},wage_earner,JKK,2026-01-01,,\n",
        encoding="utf-8",
    )
    import_external_cover(actor=city_officer, path=cover)
    batch = imports.create_batch(
        actor=city_officer,
        upload=ContentFile(f"nik,full_name\n{twin.nik},Lim Ah Kiong\n".encode(), name=FILE_NAME),
        name=FILE_NAME,
    )
    synonym = imports.add_synonym(
        actor=city_officer,
        field="category",
        value=SYNONYM_VALUE,
        code="farmer",
    )
    employer_list = tmp_path / "izin-pontianak.csv"
    employer_list.write_text(
        f"nama usaha,nib,kelurahan,jumlah tenaga kerja,total upah\n"
        f"{EMPLOYER_NAME},1234567890123,{PONTIANAK_VILLAGE},25,75000000\n",
        encoding="utf-8",
    )
    import_employers(actor=admin, path=employer_list, kind="licence", region_code=OTHER_CITY)
    find_leads(actor=admin, region_code=OTHER_CITY, on=START)
    lead = Lead.objects.get(employer__name=EMPLOYER_NAME)
    case = compliance.open_case(actor=admin, lead_id=lead.pk, on=START)
    letter = compliance.take_step(
        actor=admin,
        case_id=case.pk,
        data=compliance.StepInput(step="warning_1", taken_on=START, officer_name="Petugas"),
    )
    # A business the matching folded into the employer (made here: one list links nothing).
    link = EmployerLink.objects.create(
        employer=lead.employer,
        linked_id=10**9,
        score=0.95,
        method="name_address",
        business={"name": EMPLOYER_NAME, "name_key": "", "region_code": PONTIANAK_VILLAGE},
        region_code=lead.employer.region_code,
        regency_code=OTHER_CITY,
        linked_on=START,
    )
    (evidence,) = compliance.add_evidence_files(
        actor=admin, case_id=case.pk, step_id=letter.pk, files=[upload()]
    )
    # A Perisai agent of Pontianak, a mandate of its self-paid member and a bank's file of it.
    pontianak_agent = agents.register_agent(
        actor=admin,
        data=agents.AgentInput(
            full_name=AGENT_NAME,
            nik=compose(PONTIANAK_VILLAGE[:8], dt.date(1985, 3, 3), "M", 9303),
            phone="081200009303",
            area=PONTIANAK_VILLAGE[:8],
            bpjs_agent_number="AG-RAHASIA",
        ),
    )
    mandate = autodebit.create_mandate(
        actor=admin,
        cover_id=self_paid.pk,
        data=autodebit.MandateInput("generic", "9876543210", MANDATE_REF, 10, START, "AD-RAHASIA"),
        today=START,
    )
    debit_batch = DebitBatch.objects.create(bank="generic", month=START, debit_date=START)
    DebitLine.objects.create(
        batch=debit_batch,
        mandate=mandate,
        cover_id=self_paid.pk,
        first_period=period_of(START),
        last_period=period_of(START),
        amount=8_400,
    )
    # A billing run is its requester's: one asked for by Pontianak's officer.
    run = BillingRun.objects.create(month=START, as_of=START, created_by=city_officer)
    records = {
        "worker": m.worker.pk,
        "membership": m.pk,
        "programme": prog.pk,
        "bill": bill.pk,
        "claim": claim.pk,
        "document": claim.documents.get().pk,
        "scholarship_year": claim.scholarship_years.first().pk,
        "pair": pair.pk,
        "submission": submission.batch.pk,
        "batch": batch.pk,
        "synonym": synonym.pk,
        "run": run.pk,
        "cover": self_paid.pk,
        "region": OTHER_CITY,
        "employer": lead.employer_id,
        "lead": lead.pk,
        "case": case.pk,
        "letter": letter.pk,
        "evidence": evidence.pk,
        "link": link.pk,
        "agent": pontianak_agent.pk,
        "mandate": mandate.pk,
        "debit_batch": debit_batch.pk,
    }
    secrets = {
        m.worker.full_name,
        m.worker.nik,
        twin.nik,
        m.kpj,
        stranger,
        PROGRAMME_NAME,
        FILE_NAME,
        SYNONYM_VALUE,
        "TRF-RAHASIA",
        "TRF-MANDIRI-RAHASIA",
        EMPLOYER_NAME,
        AGENT_NAME,
        MANDATE_REF,
    }
    return records, secrets


def _leaks(response, secrets: set[str]) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return sorted(s for s in secrets if s.encode() in body)


def test_every_route_is_known():
    """A new route fails here until the tables above say how to reach another region with it."""
    unknown = [
        name
        for route, name in web_routes()
        if "<" in route
        and name not in WEB_OBJECTS
        and name not in WEB_UNSCOPED
        and name not in WEB_SKIPPED
    ]
    for method, path in api_operations():
        if "{" in path:
            try:
                _fill_api(path, dict.fromkeys(API_OBJECTS.values(), 1))
            except KeyError as err:
                unknown.append(str(err))
        elif method != "get" and (method, path) not in API_BODIES | API_BODY_UNSCOPED:
            unknown.append(f"{method.upper()} {path}")
    assert unknown == []


@pytest.mark.parametrize("role", list(ROLES))
def test_no_role_of_one_city_reaches_another_city_by_any_route(role, pontianak):
    records, secrets = pontianak
    user = make_user(role, ROLES[role])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    _, key = create_token(user=user, name="escape")
    bearer = {"Authorization": f"Bearer {key}"}
    escapes: list[str] = []
    before = _pontianak_now()

    for route, name in web_routes():
        if name in WEB_SKIPPED or name in WEB_UNSCOPED:
            continue
        if "<" not in route:
            response = client.get("/" + route)
            if response.status_code >= 500 or _leaks(response, secrets):
                escapes.append(f"GET /{route}: {response.status_code} {_leaks(response, secrets)}")
            continue
        path = _fill_web(route, name, records)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            # 405: the page takes no such method; anything else but 403/404 reached the record.
            if response.status_code not in (403, 404, 405) or _leaks(response, secrets):
                escapes.append(f"{method.upper()} {path}: {response.status_code}")

    for method, template in api_operations():
        if "{" in template:
            path = _fill_api(template, records)
            if path is None:
                continue
            call = getattr(client, method)
            response = (
                call(path, headers=bearer)
                if method == "get"
                else call(path, {}, content_type="application/json", headers=bearer)
            )
            # 422: the body was refused before the record was looked at.
            allowed = (403, 404) if method == "get" else (403, 404, 405, 422)
            if response.status_code not in allowed or _leaks(response, secrets):
                escapes.append(f"{method.upper()} {path}: {response.status_code}")
        elif method == "get":
            response = client.get(template, API_QUERIES.get(template, {}), headers=bearer)
            if response.status_code >= 500 or _leaks(response, secrets):
                escapes.append(
                    f"GET {template}: {response.status_code} {_leaks(response, secrets)}"
                )
        elif (method, template) in API_BODIES:
            body = API_BODIES[method, template](records)
            call = getattr(client, method)
            response = call(template, body, content_type="application/json", headers=bearer)
            # 422: refused as naming a region the role may not touch (out_of_scope) or before
            # the record was looked at; any 2xx wrote to Pontianak.
            if response.status_code not in (403, 404, 422) or _leaks(response, secrets):
                escapes.append(f"{method.upper()} {template}: {response.status_code}")

    assert escapes == []
    assert _pontianak_now() == before, "a write reached Pontianak's records"


def _pontianak_now() -> dict[str, list]:
    """What Pontianak has: the writes above must leave it as it was."""
    in_city = {"regency_code": OTHER_CITY}
    return {
        "workers": list(Worker.objects.filter(**in_city).values_list("pk", "full_name")),
        "memberships": list(
            Membership.objects.filter(**in_city).order_by("pk").values_list("pk", "status")
        ),
        "programmes": list(
            Programme.objects.filter(region__code__startswith=OTHER_CITY).values_list("pk")
        ),
        "bills": list(Bill.objects.filter(programme__region_id=OTHER_CITY).values_list("pk")),
        "payments": list(
            Payment.objects.filter(programme__region_id=OTHER_CITY).values_list("pk", "amount")
        ),
        "claims": list(Claim.objects.filter(**in_city).values_list("pk", "status")),
        "synonyms": list(
            ValueSynonym.objects.filter(region_code__startswith=OTHER_CITY).values_list(
                "pk", "code"
            )
        ),
        "choices": list(HandoverChoice.objects.values_list("pk", "choice")),
        "mandates": list(Mandate.objects.order_by("pk").values_list("pk", "status")),
        "runs": list(BillingRun.objects.values_list("pk", "status")),
        "coverage": [
            model.objects.filter(region_id=OTHER_CITY).count()
            for model in (WorkingPopulation, CoverageTarget, SegmentCount)
        ],
    }
