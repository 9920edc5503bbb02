"""The REST API: one NinjaAPI, one router per domain app, token auth on everything."""

from ninja import NinjaAPI

from jaring.dedupe.api import router as dedupe_router
from jaring.enrolment.api import router as enrolment_router
from jaring.enrolment.exchange_api import router as exchange_router
from jaring.imports.api import router as imports_router
from jaring.programs.api import router as programs_router

api = NinjaAPI(title="Jaring API", version="1", urls_namespace="api")
api.add_router("/imports/", imports_router)
api.add_router("/duplicates/", dedupe_router)
api.add_router("/programmes/", programs_router)
api.add_router("/enrolment/", enrolment_router)
api.add_router("/bpjs/", exchange_router)
