"""Every error code of every app, for `jaring errors` and docs/errors.md.

The codes come from the enums in each app's `errors.py` (found by name, so core imports no app);
the messages from the places that raise them: where a code is always given one literal message
(`Problem(RegistryError.X, "…", "…")`), that message is the code's; where the message is built
from values or differs between places, the catalogue says so.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

from jaring.rules.errors import ErrorCode

VARIES = "(varies)"


@dataclass(frozen=True)
class Entry:
    code: ErrorCode
    app: str
    statuses: tuple[int, ...]
    message_id: str
    message_en: str


def _packages() -> list[str]:
    names = ["jaring.rules", *(c.name for c in apps.get_app_configs())]
    return [n for n in names if n.startswith("jaring.")]


def _enums() -> list[type[ErrorCode]]:
    found: list[type[ErrorCode]] = []
    for package in _packages():
        module = f"{package}.errors"
        if importlib.util.find_spec(module) is None:
            continue
        for value in vars(importlib.import_module(module)).values():
            if (
                isinstance(value, type)
                and issubclass(value, ErrorCode)
                and value is not ErrorCode
                and value.__module__ == module
            ):
                found.append(value)
    return found


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _messages(enums: list[type[ErrorCode]]) -> dict[str, set[tuple[str, str] | None]]:
    """Each code's messages where it is raised: a literal pair, or None for a built one.

    Keyed by "Enum.MEMBER": members of two enums with one value are equal strings.
    """
    by_name = {e.__name__: e for e in enums}
    out: dict[str, set[tuple[str, str] | None]] = {}
    for package in _packages():
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        for path in sorted(Path(spec.origin).parent.rglob("*.py")):
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(call, ast.Call):
                    continue
                for i, arg in enumerate(call.args):
                    if not (
                        isinstance(arg, ast.Attribute)
                        and isinstance(arg.value, ast.Name)
                        and arg.value.id in by_name
                    ):
                        continue
                    if not isinstance(getattr(by_name[arg.value.id], arg.attr, None), ErrorCode):
                        continue
                    # Two positional arguments after the code are its messages; a call with
                    # fewer only looks a reason up (`row_reason(code, field)`).
                    texts = [_text(a) for a in call.args[i + 1 : i + 3]]
                    if len(texts) == 2:
                        pair = None if None in texts else (texts[0], texts[1])
                        out.setdefault(f"{arg.value.id}.{arg.attr}", set()).add(pair)
    return out


def catalogue() -> list[Entry]:
    enums = _enums()
    messages = _messages(enums)
    entries = []
    for enum in enums:
        app = enum.__module__.split(".")[1]
        for code in enum:
            found = messages.get(f"{enum.__name__}.{code.name}", set())
            fixed = len(found) == 1 and None not in found
            message_id, message_en = next(iter(found)) if fixed else (VARIES, VARIES)
            entries.append(Entry(code, app, code.statuses, message_id, message_en))
    return sorted(entries, key=lambda e: (e.code.value, e.app))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    lines = [
        "# Error codes",
        "",
        "Every code an error or a reason can carry, generated from the enums in each app's",
        "`errors.py` by `jaring errors > docs/errors.md` (a test keeps this page up to date).",
        "*Status* is the HTTP status the API answers with it; a code without one is a reason",
        "shown inside another answer (an import row, an eligibility count, a rule a service",
        "wraps). *(varies)*: the message names values of the case, or differs by place.",
        "A request the API cannot read answers `invalid_<type>` (422, pydantic's error type,",
        "e.g. `invalid_missing`) or `http_<status>`.",
        "",
        "| code | app | status | message (Bahasa Indonesia) | message (English) |",
        "|---|---|---|---|---|",
    ]
    for e in catalogue():
        status = ", ".join(map(str, e.statuses)) or "–"
        lines.append(
            f"| `{e.code}` | {e.app} | {status} | {_cell(e.message_id)} | {_cell(e.message_en)} |"
        )
    return "\n".join(lines) + "\n"
