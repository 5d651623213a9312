"""The SMS gateway as the tests play it: signed deliveries to /webhooks/sms/, a keyword handler
registered as traceability registers its own, and a local fake of the sending gateway."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sms import handlers

SMS_SECRET = "test-sms-secret-5b0c1f6e9a2d4b7c8e3f"
URL = "/webhooks/sms/"


def sign(body: bytes, secret: str = SMS_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(
    client, text="SLL ABC12345 123456", *, id="msg-1", sender="+84912345678", signature=None, raw=None
):
    """The gateway posting a received text; `signature=False` sends none."""
    body = (
        raw
        if raw is not None
        else json.dumps({"id": id, "from": sender, "text": text}, ensure_ascii=False).encode()
    )
    headers = {}
    if signature is not False:
        headers["HTTP_X_SIGNATURE"] = signature or sign(body)
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def sms_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SMS_SECRET
    settings.SMS_KEYWORD = "SLL"
    return SMS_SECRET


@pytest.fixture(autouse=True)
def no_keyword_handlers(monkeypatch):
    """Each test starts with no keyword registered (apps above register theirs from their
    AppConfig.ready, e.g. traceability's SLL) and what it registers is gone after it."""
    monkeypatch.setattr(handlers, "_handlers", {})


class Recorder:
    """A keyword handler that answers what it was given, and remembers each request."""

    def __init__(self):
        self.requests = []

    def __call__(self, request):
        self.requests.append(request)
        return f"OK {' '.join(request.words)} ({request.language})"


@pytest.fixture
def sll_handler():
    recorder = Recorder()
    handlers.register("SLL", recorder)
    yield recorder
    handlers.unregister("SLL")


class FakeGateway:
    """An SMS gateway on a free local port: records each POST (headers and JSON body) and answers
    `status` after `delay` seconds."""

    def __init__(self):
        self.received = []
        self.status = 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                gateway.received.append({"headers": dict(self.headers), "json": json.loads(body)})
                if gateway.delay:
                    time.sleep(gateway.delay)
                payload = b'{"ok": true}' if gateway.status < 400 else b'{"error": "down"}'
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = fake.url
    settings.SMS_GATEWAY_TOKEN = "gateway-token-for-tests"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield fake
    fake.stop()
