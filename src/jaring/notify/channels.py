"""Channel adapters: how a message leaves Jaring.

- `http`: a generic SMS/WhatsApp gateway. POST to JARING_NOTIFY_GATEWAY_URL with
  `Authorization: Bearer JARING_NOTIFY_GATEWAY_TOKEN` and a JSON body made from the payload
  template JARING_NOTIFY_GATEWAY_PAYLOAD, whose strings may hold {to}, {text}, {channel} and
  {ref} (the message's id). A 2xx answer is sent (its JSON "id", if any, is kept); a timeout, a
  connection error, 429 or 5xx is tried again later; any other 4xx is a failure.
- `file`: one JSON line per message appended to JARING_NOTIFY_FILE (var/outbox.jsonl): a laptop's
  or a test's outbox.
- `console`: the message printed to the log (the default for a development install).

One adapter object sends a whole batch, keeping its HTTP connection open between messages.
"""

from __future__ import annotations

import http.client
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

log = logging.getLogger("jaring.notify")

DEFAULT_PAYLOAD = '{"to": "{to}", "text": "{text}", "channel": "{channel}", "ref": "{ref}"}'


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    retry: bool = False
    gateway_id: str = ""
    error: str = ""


def _fill(template: object, values: dict[str, str]) -> object:
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


class HttpGateway:
    name = "http"

    def __init__(self, url: str, token: str = "", payload: str = DEFAULT_PAYLOAD, timeout=10.0):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"JARING_NOTIFY_GATEWAY_URL is not an http(s) URL: {url!r}")
        self.parts = parts
        self.token = token
        self.payload = json.loads(payload)
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = (
                http.client.HTTPSConnection
                if self.parts.scheme == "https"
                else http.client.HTTPConnection
            )
            self._conn = cls(self.parts.hostname, self.parts.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, *, to: str, text: str, channel: str, ref: str) -> Outcome:
        body = json.dumps(
            _fill(self.payload, {"to": to, "text": text, "channel": channel, "ref": ref})
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        path = self.parts.path or "/"
        if self.parts.query:
            path += "?" + self.parts.query
        try:
            conn = self._connection()
            conn.request("POST", path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            self.close()
            return Outcome(False, retry=True, error=f"gateway unreachable: {exc}"[:300])
        if 200 <= answer.status < 300:
            try:
                gateway_id = str(json.loads(data or b"{}").get("id", ""))
            except (ValueError, AttributeError):
                gateway_id = ""
            return Outcome(True, gateway_id=gateway_id[:100])
        error = f"gateway answered {answer.status}: {data[:200].decode(errors='replace')}"
        return Outcome(False, retry=answer.status == 429 or answer.status >= 500, error=error)


class FileOutbox:
    name = "file"

    def __init__(self, path: Path):
        self.path = path
        self._file = None

    def send(self, *, to: str, text: str, channel: str, ref: str) -> Outcome:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        line = {"to": to, "text": text, "channel": channel, "ref": ref}
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        return Outcome(True, gateway_id=f"file:{ref}")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class Console:
    name = "console"

    def send(self, *, to: str, text: str, channel: str, ref: str) -> Outcome:
        log.warning("notify %s to %s: %s", channel, to, text)
        return Outcome(True, gateway_id=f"console:{ref}")

    def close(self) -> None:
        pass


def configured():
    """The adapter the environment chooses (JARING_NOTIFY_CHANNEL: console, file or http)."""
    kind = settings.JARING_NOTIFY_CHANNEL
    if kind == "http":
        return HttpGateway(
            settings.JARING_NOTIFY_GATEWAY_URL,
            settings.JARING_NOTIFY_GATEWAY_TOKEN,
            settings.JARING_NOTIFY_GATEWAY_PAYLOAD or DEFAULT_PAYLOAD,
            settings.JARING_NOTIFY_GATEWAY_TIMEOUT,
        )
    if kind == "file":
        return FileOutbox(Path(settings.JARING_NOTIFY_FILE))
    return Console()
