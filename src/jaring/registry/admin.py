from __future__ import annotations

from dataclasses import asdict

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jaring.accounts.admin import AdminOnly
from jaring.accounts.masking import display_nik
from jaring.accounts.models import User
from jaring.accounts.scope import scope_q
from jaring.core.errors import DomainError
from jaring.registry import services
from jaring.registry.models import OccupationCategory, Worker
from jaring.registry.validation import WorkerInput
from jaring.web.feedback import problems_on_form

# The form fields that carry a WorkerInput (village and category under their model names).
WORKER_FIELDS = [
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "village",
    "rt",
    "rw",
    "address",
    "phone",
    "category",
    "has_disability",
    "disability_kind",
    "declared_income",
    "consent_date",
    "nik_override_reason",
]


class WorkerAdminForm(forms.ModelForm):
    """Saves through the registry services, so the admin site keeps the same rules, region
    check and audit history as the web and the API; their problems land on the fields."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the worker's history."),
    )
    actor: User  # set by WorkerAdmin.get_form

    class Meta:
        model = Worker
        fields = WORKER_FIELDS

    def _input(self) -> WorkerInput:
        values = {name: self.cleaned_data.get(name) for name in WORKER_FIELDS}
        values["village_code"] = values.pop("village").pk
        values["category_code"] = values.pop("category").pk
        return WorkerInput(**values)

    def _post_clean(self):
        # Replaces the model validation and save that ModelForm would do: the service does both.
        if self.errors:
            return
        data = self._input()
        try:
            if self.instance.pk is None:
                self.instance = services.create_worker(actor=self.actor, data=data, source="Admin")
            else:
                self.instance = services.update_worker(
                    actor=self.actor,
                    worker=self.instance,
                    changes=asdict(data),
                    reason=self.cleaned_data.get("change_reason", ""),
                )
        except DomainError as exc:
            problems_on_form(self, exc)


@admin.register(Worker)
class WorkerAdmin(AdminOnly):
    form = WorkerAdminForm
    list_display = ("full_name", "nik", "village", "category", "has_disability")
    list_filter = ("category", "has_disability", "sex")
    list_select_related = ("village", "category")
    # Exact NIK and name start: both use an index on a million rows; "contains" would not.
    search_fields = ("=nik", "^name_key")
    raw_id_fields = ("village",)
    readonly_fields = ("source", "died_on", "created_by", "created_at", "updated_at")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_q(request.user))

    # Administrators see NIKs whole; telling masking about the ones a page shows is what
    # puts the page in the read audit.
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        for worker in changelist.result_list if changelist else ():
            display_nik(request.user, worker.nik)
        return response

    def get_object(self, request, object_id, from_field=None):
        worker = super().get_object(request, object_id, from_field)
        if worker is not None:
            display_nik(request.user, worker.nik)
        return worker

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Already saved (and audited) by the service when the form was validated."""

    def has_delete_permission(self, request, obj=None):
        # The registry keeps people; there is no audited way to erase one.
        return False


@admin.register(OccupationCategory)
class OccupationCategoryAdmin(AdminOnly):
    list_display = ("code", "name_id", "name_en", "ecosystem", "sort")
    list_filter = ("ecosystem",)

    def get_readonly_fields(self, request, obj=None):
        # Workers point at the code; changing it would orphan them.
        return ("code",) if obj else ()
