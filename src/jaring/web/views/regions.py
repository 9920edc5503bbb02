"""The dependent region selects, re-rendered by htmx when the select above them changes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from jaring.web.forms import RegionForm, RegionInputForm


@login_required
def region_select(request, field: str):
    if field not in ("district", "village"):
        raise Http404
    form_class = RegionInputForm if request.GET.get("for") == "form" else RegionForm
    form = form_class(request.GET, user=request.user)
    html = str(form[field])
    if field == "district":
        # A new province empties the village list too.
        form.fields["village"].widget.attrs["hx-swap-oob"] = "true"
        html += str(form["village"])
    return HttpResponse(html)
