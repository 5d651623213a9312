"""Rate limits from the outside: floods of logins, checkouts, webhooks and trace-code guesses get
429 with a plain sentence and Retry-After; other addresses and ordinary browsing are untouched."""

import pytest

from django.core.cache import cache
from django.test import override_settings

LIMITS = {
    "login": (3, 60),
    "checkout": (2, 60),
    "webhook": (2, 60),
    "trace": (50, 60),
    "trace_miss": (4, 600),
}


@pytest.fixture(autouse=True)
def limits_on(db):
    cache.clear()
    with override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS):
        yield
    cache.clear()


def login(client, address="203.0.113.7"):
    return client.post("/admin/login/", {"username": "nobody", "password": "wrong"}, REMOTE_ADDR=address)


def test_repeated_logins_are_refused_with_429_and_retry_after(client):
    answers = [login(client).status_code for _ in range(3)]
    refused = login(client)

    assert answers == [200, 200, 200]  # the login form again, with its error
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/plain")
    assert "Quá nhiều yêu cầu" in refused.content.decode()


def test_another_address_may_still_log_in(client):
    for _ in range(4):
        login(client)

    assert login(client, address="198.51.100.2").status_code == 200


def test_unknown_trace_codes_are_limited_so_codes_cannot_be_enumerated(client):
    guesses = [client.get(f"/t/AAAA{n:04d}", REMOTE_ADDR="203.0.113.9").status_code for n in range(4)]
    blocked = client.get("/t/AAAA9999", REMOTE_ADDR="203.0.113.9")
    blocked_api = client.get("/api/v1/batches/AAAA9998", REMOTE_ADDR="203.0.113.9")

    assert guesses == [404, 404, 404, 404]
    assert blocked.status_code == 429
    assert blocked_api.status_code == 429
    # A buyer elsewhere scanning is not affected.
    assert client.get("/t/AAAA9999", REMOTE_ADDR="198.51.100.3").status_code == 404


def test_trace_lookups_have_an_overall_limit_too(client):
    with override_settings(RATE_LIMITS={**LIMITS, "trace": (3, 60), "trace_miss": (100, 600)}):
        answers = [client.get("/t/AAAA0000", REMOTE_ADDR="203.0.113.10").status_code for _ in range(4)]

    assert answers == [404, 404, 404, 429]


def test_checkout_posts_are_limited_in_every_language_and_say_so_in_it(client):
    first = client.post("/checkout/", {}, REMOTE_ADDR="203.0.113.11")
    second = client.post("/en/checkout/", {}, REMOTE_ADDR="203.0.113.11")
    third = client.post("/en/checkout/", {}, REMOTE_ADDR="203.0.113.11")

    assert first.status_code != 429 and second.status_code != 429
    assert third.status_code == 429
    assert "Too many requests" in third.content.decode()


def test_reading_the_checkout_page_is_not_limited(client):
    answers = {client.get("/checkout/", REMOTE_ADDR="203.0.113.12").status_code for _ in range(5)}

    assert 429 not in answers


def test_webhook_floods_are_limited(client):
    answers = [
        client.post(
            "/webhooks/bank/", b"{}", content_type="application/json", REMOTE_ADDR="203.0.113.13"
        ).status_code
        for _ in range(3)
    ]

    assert answers[:2] != [429, 429]
    assert answers[2] == 429


def test_behind_a_proxy_the_forwarded_client_is_counted(client):
    with override_settings(RATE_LIMIT_PROXY_COUNT=1):
        for _ in range(3):
            client.post(
                "/admin/login/",
                {"username": "x", "password": "y"},
                HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.50",
            )
        same_client = client.post(
            "/admin/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="192.0.2.9, 192.0.2.50"
        )
        other_client = client.post(
            "/admin/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="192.0.2.1, 192.0.2.51"
        )

    # The last hop (what the one trusted proxy saw) is the client; what came before it can be forged.
    assert same_client.status_code == 429
    assert other_client.status_code == 200


def test_switched_off_nothing_is_limited(client):
    with override_settings(RATE_LIMITS_ENABLED=False):
        answers = {login(client).status_code for _ in range(6)}

    assert answers == {200}


# A proxy count that does not match the way requests arrive: one warning in the log, once. -------


@pytest.fixture
def proxy_warnings(caplog, monkeypatch):
    from website import ratelimit

    monkeypatch.setattr(ratelimit, "warned", set())
    caplog.set_level("WARNING", logger="website.ratelimit")
    return lambda: [record for record in caplog.records if record.name == "website.ratelimit"]


def test_operator_is_warned_when_clients_reach_the_site_past_the_counted_proxies(client, proxy_warnings):
    # Two proxies counted, but this request came with one entry (or none): straight to the site,
    # where a client can write any X-Forwarded-For it likes.
    with override_settings(RATE_LIMIT_PROXY_COUNT=2):
        login(client, address="198.51.100.4")
        client.post("/admin/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="192.0.2.1")

    warnings = proxy_warnings()
    assert len(warnings) == 1
    assert "RATE_LIMIT_PROXY_COUNT is 2" in warnings[0].getMessage()
    assert warnings[0].check == "website.W003"


def test_operator_is_warned_when_a_proxy_in_front_was_not_counted(client, proxy_warnings):
    # A proxy on the private network forwards the clients; with the count at 0 they all share its
    # address, so one client's bad logins lock out all staff.
    for _ in range(2):
        client.post(
            "/admin/login/",
            {"username": "x", "password": "y"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )

    warnings = proxy_warnings()
    assert len(warnings) == 1
    assert "RATE_LIMIT_PROXY_COUNT is 0" in warnings[0].getMessage()
    assert warnings[0].check == "website.W002"


def test_no_warning_when_requests_arrive_as_the_proxy_count_says(client, proxy_warnings):
    login(client)  # straight from a public address, no proxy, count 0
    with override_settings(RATE_LIMIT_PROXY_COUNT=1):
        client.post(
            "/admin/login/",
            {"username": "x", "password": "y"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )

    assert proxy_warnings() == []


@pytest.mark.parametrize("loopback", ["127.0.0.1", "::1"])
def test_image_health_check_behind_one_proxy_logs_no_warning(client, proxy_warnings, loopback):
    # deploy/healthcheck.py asks gunicorn for /healthz on loopback, past the proxy, as on every
    # correct set-up: not a client escaping the limits.
    with override_settings(RATE_LIMIT_PROXY_COUNT=1):
        for _ in range(3):
            answer = client.get(
                "/healthz", REMOTE_ADDR=loopback, HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https"
            )
            assert answer.status_code == 200

    assert proxy_warnings() == []


def test_public_client_past_one_proxy_is_still_warned_about(client, proxy_warnings):
    with override_settings(RATE_LIMIT_PROXY_COUNT=1):
        client.get("/healthz", REMOTE_ADDR="127.0.0.1")  # the health check first: no warning
        client.get("/healthz", REMOTE_ADDR="198.51.100.4")
        client.get("/healthz", REMOTE_ADDR="198.51.100.5")

    warnings = proxy_warnings()
    assert [warning.check for warning in warnings] == ["website.W003"]
    assert "198.51.100.4" in warnings[0].getMessage()
