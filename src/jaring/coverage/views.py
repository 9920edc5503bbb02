"""Coverage pages: the region's dashboard, its figures form, the mayor's one-page PDF and the
PDF export of a chart. The charts draw the same dict the API's /coverage/dashboard serves."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaring.accounts.scope import scope_code
from jaring.core.errors import DomainError, Problem
from jaring.coverage import dashboard, report_pdf, selectors, services
from jaring.coverage.errors import CoverageError
from jaring.coverage.models import PopulationSource, Segment, WorkingPopulation
from jaring.coverage.permissions import COVERAGE
from jaring.programs.selectors import programmes_for
from jaring.regions.models import Level, Region
from jaring.registry.models import Ecosystem
from jaring.web.feedback import Refusal, refusal_kept, refusals_as_messages, show_problems

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_CHART_BYTES = 5 * 1024 * 1024


@login_required
def index(request):
    """A city or district user lands on their region; a national user picks one."""
    code = scope_code(request.user)
    if code:
        region = Region.objects.get(code=code)
        while region.level == Level.VILLAGE:
            region = region.parent
        return redirect("coverage:dashboard", code=region.code)
    if code == "":
        raise Http404
    with_figures = (
        WorkingPopulation.objects.filter(region__level__lte=Level.REGENCY)
        .values_list("region_id", flat=True)
        .distinct()
    )
    regions = Region.objects.filter(code__in=list(with_figures)).order_by("code")
    return render(request, "coverage/index.html", {"regions": regions})


def _where(request, code: str) -> tuple[Region, dt.date, Refusal]:
    """The region and the month asked for; an unreadable month is this month, with its refusal.

    Another region's code is the 404 page (RefusalMiddleware), and so is a village's: coverage
    has no figures per village.
    """
    with refusal_kept() as not_a_dashboard:
        region = selectors.get_region(request.user, code)
    if not_a_dashboard:
        raise Http404
    with refusal_kept() as unreadable:
        month = selectors.parse_month_arg(request.GET.get("month") or None)
    if unreadable:
        month = selectors.parse_month_arg(None)
    return region, month, unreadable


def _ecosystem_name(code: str | None) -> str:
    labels = dict(Ecosystem.choices)
    return str(labels.get(code, code or "–"))


@login_required
def region_dashboard(request, code: str):
    region, month, unreadable = _where(request, code)
    if unreadable:
        show_problems(request, unreadable.error)
    data = dashboard.dashboard(request.user, region, month, refresh="refresh" in request.GET)
    return render(
        request,
        "coverage/dashboard.html",
        {
            "region": region,
            "month": month,
            "data": data,
            "c": data["coverage"],
            # The occupations' ecosystems by name (the dict keeps codes, as the API answers).
            "categories": [
                {**k, "ecosystem": _ecosystem_name(k.get("ecosystem"))}
                for k in data.get("categories") or []
            ],
            "may_edit": COVERAGE.may(request.user, "population"),
            "may_count": COVERAGE.may(request.user, "counts"),
            "sources": PopulationSource.choices,
            "segments": Segment.choices,
            "children": region.children.order_by("code") if region.level < Level.DISTRICT else [],
            "below_province": region.level != Level.PROVINCE,
            "latest_year": _latest_programme_year(request.user, month),
        },
    )


def _latest_programme_year(user, month: dt.date) -> int | None:
    """The fiscal year of the user's latest programme when the month shown is after it (the
    demo's programme ended in 2025): the page then offers that year's last month."""
    latest = programmes_for(user).order_by("-fiscal_year").values_list("fiscal_year", flat=True)
    year = latest.first()
    return year if year is not None and year < month.year else None


@login_required
@require_POST
def figures(request, code: str):
    """One form for the three kinds of figure; refusals come back as messages on the page."""
    region = selectors.get_region(request.user, code)
    post = request.POST
    what = post.get("what")
    target_code = post.get("region") or region.code
    with refusals_as_messages(request):
        if what == "population":
            services.set_population(
                actor=request.user,
                region_code=target_code,
                year=post.get("year", ""),
                people=post.get("people", ""),
                source=post.get("source", ""),
                note=post.get("note", ""),
            )
        elif what == "target":
            services.set_target(
                actor=request.user,
                region_code=target_code,
                year=post.get("year", ""),
                target_pct=post.get("target_pct", ""),
                note=post.get("note", ""),
            )
        elif what == "counts" and request.FILES.get("file"):
            result = _import(request)
            messages.success(request, _("%(rows)d rows imported.") % {"rows": result.rows})
            return redirect("coverage:dashboard", code=region.code)
        elif what == "count":
            services.set_segment_count(
                actor=request.user,
                region_code=target_code,
                month=post.get("month", ""),
                segment=post.get("segment", ""),
                participants=post.get("participants", ""),
            )
        else:
            raise DomainError(
                Problem(
                    CoverageError.NOTHING, "Tidak ada yang diisi.", "Nothing was entered.", "what"
                )
            )
        messages.success(request, _("Saved."))
    return redirect("coverage:dashboard", code=region.code)


def _import(request):
    upload = request.FILES["file"]
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix) as f:
        for chunk in upload.chunks():
            f.write(chunk)
        f.flush()
        if request.POST.get("kind") == "population":
            return services.import_populations(actor=request.user, path=Path(f.name))
        return services.import_segment_counts(
            actor=request.user, path=Path(f.name), source=upload.name
        )


@login_required
def mayor_report(request, code: str):
    region, month, unreadable = _where(request, code)
    if unreadable:
        raise Http404
    data = dashboard.dashboard(request.user, region, month)
    response = HttpResponse(report_pdf.report_pdf(region, data), content_type="application/pdf")
    name = f"cakupan-{region.code}-{data['coverage']['month']}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def chart_pdf(request):
    """The PNG the browser drew (canvas.toDataURL), on an A4 landscape page with its title."""
    raw = request.POST.get("png", "")
    head, _sep, body = raw.partition(",")
    try:
        png = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        png = b""
    if (
        head != "data:image/png;base64"
        or not png.startswith(PNG_MAGIC)
        or len(png) > MAX_CHART_BYTES
    ):
        return HttpResponse(_("Not a chart image."), status=422, content_type="text/plain")
    title = request.POST.get("title", "")[:200]
    response = HttpResponse(report_pdf.chart_pdf(png, title), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="grafik.pdf"'
    return response
