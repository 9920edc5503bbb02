from django.contrib import admin
from django.urls import include, path

from jaring.api.routes import api
from jaring.compliance.urls import public_urlpatterns as compliance_public
from jaring.enrolment import urls as enrolment_urls
from jaring.programs import urls as programs_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("workers/", include("jaring.registry.urls")),
    path("imports/", include("jaring.imports.urls")),
    path("duplicates/", include("jaring.dedupe.urls")),
    # One namespace for a programme's pages: programs' own and enrolment's (those reading its
    # memberships; enrolment sits above programs).
    path(
        "programmes/",
        include(
            (
                programs_urls.urlpatterns + enrolment_urls.programme_urlpatterns,
                programs_urls.app_name,
            )
        ),
    ),
    path("enrolment/", include("jaring.enrolment.urls")),
    path("cek/lapor-pemberi-kerja/", include((compliance_public, "compliance-public"))),
    path("cek/", include("jaring.enrolment.cards.urls")),
    path("contributions/", include("jaring.contributions.urls")),
    path("continuity/", include("jaring.continuity.urls")),
    path("lanjut/", include("jaring.continuity.public_urls")),
    path("claims/", include("jaring.claims.urls")),
    path("agents/", include("jaring.agents.urls")),
    path("autodebit/", include("jaring.autodebit.urls")),
    path("messages/", include("jaring.notify.urls")),
    path("compliance/", include("jaring.compliance.urls")),
    path("coverage/", include("jaring.coverage.urls")),
    path("", include("jaring.web.urls")),
]
