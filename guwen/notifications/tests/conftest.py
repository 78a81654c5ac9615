"""A real HTTP server on 127.0.0.1 standing in for group robots and integration endpoints."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeServer:
    """Answers each POST with the next planned (status, body, delay), then with the last one."""

    url: str
    plan: list = field(default_factory=lambda: [(200, b'{"errcode": 0}', 0.0)])
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *responses) -> None:
        self.plan = [r if len(r) == 3 else (*r, 0.0) for r in responses]

    def next_response(self):
        with self.lock:
            return self.plan.pop(0) if len(self.plan) > 1 else self.plan[0]


@pytest.fixture
def fake_server():
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            server = state["server"]
            with server.lock:
                server.received.append(Received(self.path, dict(self.headers), body))
            status, answer, delay = server.next_response()
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state["server"] = FakeServer(url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state["server"]
    httpd.shutdown()
    httpd.server_close()
