"""A local fake SMS/WhatsApp gateway: a small HTTP server in a thread that records what it is
sent and answers as scripted (a status per request, or a pause longer than the client waits)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGateway:
    def __init__(self, script=()):
        # Each request takes the next answer: an HTTP status, or ("pause", seconds); then 200.
        self.script = list(script)
        self.received: list[dict] = []
        self.headers: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The answer's headers and body in separate writes would wait on delayed ACKs.
            disable_nagle_algorithm = True

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = gateway.script.pop(0) if gateway.script else 200
                if isinstance(answer, tuple):
                    time.sleep(answer[1])
                    answer = 200
                if answer == 200:
                    gateway.received.append(json.loads(body))
                    gateway.headers.append(dict(self.headers))
                reply = json.dumps({"id": f"gw-{len(gateway.received)}"}).encode()
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
