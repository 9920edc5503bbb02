"""The page of cover outside Jaring: upload a list, see the records of your region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jaring.enrolment.external import selectors as external_selectors
from jaring.enrolment.external import services as external
from jaring.enrolment.external.models import OutsideSegment
from jaring.enrolment.external.permissions import EXTERNAL_COVER
from jaring.web.feedback import refusal_kept
from jaring.web.paging import page_number, paginate


@login_required
def external_cover_page(request):
    context: dict = {"can_import": EXTERNAL_COVER.may(request.user, "import")}
    status = 200
    if request.method == "POST" and context["can_import"]:
        upload = request.FILES.get("file")
        if upload is None:
            context["missing_file"] = True
            status = 400
        else:
            with refusal_kept() as refused:
                context["result"] = external.import_upload(
                    actor=request.user, upload=upload, region_code=request.POST.get("region", "")
                )
            if refused:
                context["problems"], context["file_name"] = refused.problems, upload.name
                status = 400
    nik, segment = request.GET.get("nik", ""), request.GET.get("segment", "")
    qs = external_selectors.search_external_covers(request.user, nik=nik, segment=segment)
    context |= {
        "page": paginate(qs, page_number(request.GET.get("page"))),
        "nik": nik,
        "segment": segment,
        "segments": OutsideSegment.choices,
    }
    return render(request, "enrolment/external/page.html", context, status=status)
