"""The REST API: one NinjaAPI, one router per domain app, token auth on everything.

Every router added here is protected by the API's auth (a bearer token, or the browser session
with CSRF); the user is in `request.auth` (and `request.user`). Routers raise
`jaring.core.errors.DomainError`s; `jaring.core.api.errors` renders them and every other error in
one format.
"""

from ninja import NinjaAPI

from jaring.agents.api import router as agents_router
from jaring.api.auth import SessionAuth, TokenAuth
from jaring.autodebit.api import router as autodebit_router
from jaring.claims.api import router as claims_router
from jaring.compliance.api import router as compliance_router
from jaring.continuity.api import router as continuity_router
from jaring.contributions.api import router as contributions_router
from jaring.core.api import errors
from jaring.coverage.api import router as coverage_router
from jaring.dedupe.api import router as dedupe_router
from jaring.enrolment.api import programme_router
from jaring.enrolment.api import router as enrolment_router
from jaring.enrolment.exchange.api import router as exchange_router
from jaring.enrolment.external.api import router as external_router
from jaring.imports.api import router as imports_router
from jaring.notify.api import router as notify_router
from jaring.programs.api import router as programs_router
from jaring.regions.api import router as regions_router
from jaring.registry.api import categories_router, nik_router
from jaring.registry.api import router as workers_router

DESCRIPTION = """
The Jaring registry of informal workers: the same rules, region scope and audit history as the
web pages. Field names are English; messages come in Bahasa Indonesia and English.
"""

api = NinjaAPI(
    title="Jaring API",
    version="1",
    urls_namespace="api",
    description=DESCRIPTION + errors.ERROR_FORMAT,
    auth=[TokenAuth(), SessionAuth()],
)
errors.install(api)
api.add_router("/workers/", workers_router)
api.add_router("/regions/", regions_router)
api.add_router("/categories/", categories_router)
api.add_router("/nik/", nik_router)
api.add_router("/imports/", imports_router)
api.add_router("/duplicates/", dedupe_router)
api.add_router("/programmes/", programs_router)
api.add_router("/programmes/", programme_router)  # the budget and eligibility
api.add_router("/enrolment/", enrolment_router)
api.add_router("/bpjs/", exchange_router)
api.add_router("/external-cover/", external_router)
api.add_router("/contributions/", contributions_router)
api.add_router("/continuity/", continuity_router)
api.add_router("/agents/", agents_router)
api.add_router("/autodebit/", autodebit_router)
api.add_router("/notify/", notify_router)
api.add_router("/claims/", claims_router)
api.add_router("/compliance/", compliance_router)
api.add_router("/coverage/", coverage_router)
