"""Every API error has one shape: `{"errors": [problem, ...]}` (see ERROR_FORMAT).

Domain errors come from the services; request errors (bad JSON, a field of the wrong type, no
or a wrong token) are turned into the same problems, with messages in both languages.
"""

from __future__ import annotations

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jaring.core.errors import CoreError, DomainError, Problem

ERROR_FORMAT = """
## Errors

Every error answer has the same body, whatever its status:

```json
{"errors": [
  {"code": "nik_length", "field": "nik",
   "message": "NIK harus 16 digit, yang diisi 15 digit.",
   "message_id": "NIK harus 16 digit, yang diisi 15 digit.",
   "message_en": "NIK must have 16 digits, this one has 15."}
]}
```

- `code`: stable, for programs; `field`: the request field at fault (`null` when the problem is
  not about one field; `niks.3` for the fourth item of a list); `message`: in the language of
  the request (`Accept-Language: en` for English, Bahasa Indonesia by default); `message_id` and
  `message_en`: both languages, always. Some problems carry more keys, e.g. `worker_id` and
  `worker_url` when a NIK is already registered.
- Statuses: 400 unreadable request, 401 no or wrong token, 403 not allowed for your role or
  region (or, in a browser session, a failed CSRF check or a login not complete), 404 not found
  or outside your region, 409 conflict (NIK already registered), 422 invalid fields (all of them
  are listed at once).
- Nothing is changed when an error is returned.

## Authentication

Send `Authorization: Bearer <key>`; an administrator creates keys with
`jaring token create --user USERNAME --name NAME`. In a browser, the login session works too
(this page included) once the login is complete (for roles that see whole NIKs, the code from
the authenticator app after the password); requests that change data then need the CSRF token.
Every answer is limited to the region of the user the key belongs to.
"""

# Messages for the pydantic error types a client can cause; others fall back to a generic one.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Wajib diisi.", "This field is required."),
    "string_type": ("Harus berupa teks.", "Must be a string."),
    "string_too_long": (
        "Terlalu panjang (paling banyak {max_length} karakter).",
        "Too long (at most {max_length} characters).",
    ),
    "int_type": ("Harus berupa bilangan bulat.", "Must be a whole number."),
    "int_parsing": ("Harus berupa bilangan bulat.", "Must be a whole number."),
    "int_from_float": ("Harus berupa bilangan bulat.", "Must be a whole number."),
    "bool_type": ("Harus true atau false.", "Must be true or false."),
    "bool_parsing": ("Harus true atau false.", "Must be true or false."),
    "date_type": ("Tanggal tidak sah (format YYYY-MM-DD).", "Not a valid date (YYYY-MM-DD)."),
    "date_parsing": ("Tanggal tidak sah (format YYYY-MM-DD).", "Not a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": (
        "Tanggal tidak sah (format YYYY-MM-DD).",
        "Not a valid date (YYYY-MM-DD).",
    ),
    "date_from_datetime_inexact": (
        "Tanggal tidak boleh berisi jam.",
        "A date cannot have a time of day.",
    ),
    "literal_error": ("Pilihan tidak dikenal; yang sah: {expected}.", "Must be {expected}."),
    "enum": ("Pilihan tidak dikenal; yang sah: {expected}.", "Must be {expected}."),
    "list_type": ("Harus berupa daftar.", "Must be a list."),
    "too_long": (
        "Terlalu banyak butir (paling banyak {max_length}).",
        "Too many items (at most {max_length}).",
    ),
    "too_short": (
        "Terlalu sedikit butir (paling sedikit {min_length}).",
        "Too few items (at least {min_length}).",
    ),
    "greater_than_equal": ("Harus {ge} atau lebih.", "Must be {ge} or more."),
    "less_than_equal": ("Harus {le} atau kurang.", "Must be {le} or less."),
    "extra_forbidden": ("Kolom tidak dikenal.", "Unknown field."),
    "model_attributes_type": ("Harus berupa objek JSON.", "Must be a JSON object."),
    "dict_type": ("Harus berupa objek JSON.", "Must be a JSON object."),
    "json_invalid": ("JSON tidak sah.", "Not valid JSON."),
}


def _field(loc: list[object]) -> str | None:
    # ("body", "payload", "nik") → "nik": the body parameter's name means nothing to a client.
    source, *path = loc
    if source == "body" and len(path) > 1:
        path = path[1:]
    return ".".join(str(part) for part in path) or None


def request_problem(error: dict) -> Problem:
    """One pydantic error, as ninja reports it, as a Problem."""
    kind = error.get("type", "")
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)}
    template_id, template_en = _MESSAGES.get(kind, ("Nilai tidak sah.", ""))
    try:
        message_id = template_id.format(**ctx)
        message_en = template_en.format(**ctx) if template_en else error.get("msg", "Invalid.")
    except (KeyError, IndexError):
        message_id, message_en = template_id.split("{")[0].strip(), error.get("msg", "Invalid.")
    return Problem(
        CoreError(f"invalid_{kind}") if kind else CoreError.INVALID,
        message_id,
        message_en,
        _field(error["loc"]),
    )


_UNAUTHENTICATED = Problem(
    CoreError.UNAUTHENTICATED,
    "Perlu masuk: kirim header 'Authorization: Bearer <kunci>' yang berlaku.",
    "Authentication required: send a valid 'Authorization: Bearer <key>' header.",
)
_NOT_FOUND = Problem(CoreError.NOT_FOUND, "Tidak ditemukan.", "Not found.")


def _render(api: NinjaAPI, request: HttpRequest, status: int, *problems: Problem) -> HttpResponse:
    return api.create_response(request, {"errors": [p.as_dict() for p in problems]}, status=status)


def _domain_error(request: HttpRequest, exc: DomainError, api: NinjaAPI) -> HttpResponse:
    return _render(api, request, exc.status, *exc.problems)


def _validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    return _render(api, request, 422, *(request_problem(e) for e in exc.errors))


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = _render(api, request, 401, _UNAUTHENTICATED)
        response["WWW-Authenticate"] = "Bearer"
        return response
    problem = Problem(
        CoreError(f"http_{exc.status_code}"),
        "Permintaan tidak dapat diproses." if exc.status_code < 500 else "Kesalahan server.",
        str(exc),
    )
    return _render(api, request, exc.status_code, problem)


def _not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return _render(api, request, 404, _NOT_FOUND)


def install(api: NinjaAPI) -> None:
    """Makes `api` answer every error in the one format."""
    api.add_exception_handler(DomainError, partial(_domain_error, api=api))
    api.add_exception_handler(ValidationError, partial(_validation_error, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
