"""A local stand-in for the part of Stripe's API the site uses (Checkout Sessions), so that the
tests never reach the network: an http.server on 127.0.0.1 on a random port, in a thread,
recording every request and answering like Stripe (form-encoded in, JSON out).

    with FakeStripe() as fake:
        settings.STRIPE_API_BASE = fake.url
        ...
        fake.requests[-1].params["line_items"][0]["price_data"]["unit_amount"]
"""

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    body: str
    params: dict = field(default_factory=dict)


def decode_form(body: str) -> dict:
    """Stripe's nested form encoding (a[b][0][c]=v) back into dicts and lists."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part, following in itertools.zip_longest(parts, parts[1:]):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        node = {key: _lists(value) for key, value in node.items()}
        if node and all(key.isdigit() for key in node):
            return [node[key] for key in sorted(node, key=int)]
    return node


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class FakeStripe:
    def __init__(self):
        self.requests: list[RecordedRequest] = []
        self.sessions: dict[str, dict] = {}
        # Set to (status, error type, message) to make the next calls fail as Stripe would.
        self.fail_with: tuple[int, str, str] | None = None
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(body)

            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                request = RecordedRequest(
                    method=self.command,
                    path=self.path,
                    headers=dict(self.headers),
                    body=body,
                    params=decode_form(body),
                )
                with fake._lock:
                    fake.requests.append(request)
                return request

            def do_POST(self):
                request = self._record()
                if fake.fail_with:
                    status, kind, message = fake.fail_with
                    return self._answer(status, {"error": {"type": kind, "message": message}})
                if self.path.split("?")[0] == "/v1/checkout/sessions":
                    return self._answer(200, fake.new_session(request.params))
                return self._answer(404, {"error": {"type": "invalid_request_error", "message": "no route"}})

            def do_GET(self):
                self._record()
                if fake.fail_with:
                    status, kind, message = fake.fail_with
                    return self._answer(status, {"error": {"type": kind, "message": message}})
                match = re.fullmatch(r"/v1/checkout/sessions/([^/?]+)", self.path.split("?")[0])
                if match and match.group(1) in fake.sessions:
                    return self._answer(200, fake.sessions[match.group(1)])
                return self._answer(
                    404, {"error": {"type": "invalid_request_error", "message": "No such checkout session"}}
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def new_session(self, params: dict) -> dict:
        number = next(self._counter)
        session_id = f"cs_test_fake{number:04d}"
        line_items = params.get("line_items") or []
        amount_total = sum(
            _int(item.get("price_data", {}).get("unit_amount")) * _int(item.get("quantity"), 1)
            for item in line_items
        )
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "currency": params.get("currency"),
            "amount_total": amount_total,
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "expires_at": _int(params.get("expires_at")),
            "line_items_sent": line_items,
            "payment_status": "unpaid",
            "payment_intent": None,
            "status": "open",
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
        }
        with self._lock:
            self.sessions[session_id] = session
        return session

    def posts(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == "POST"]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
