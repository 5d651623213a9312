"""Checking a code by hand (traceability/checks.py) and the /check/ form (DESIGN §4): batch codes,
units with and without their PIN, copies, wrong PINs and the unit's lock, void units, forgiving
typing, and the PIN kept out of every URL and page."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup

from django.test import Client
from django.utils import timezone

from traceability.checks import LOCK_AFTER, check_code, normalise_pin, normalise_typed
from traceability.models import UnitCheck

from .conftest import pictograms

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def post_check(client, code, pin):
    return client.post("/check/", {"code": code, "pin": pin})


def answer_text(response) -> str:
    section = soup_of(response).find("section", attrs={"aria-labelledby": "answer-heading"})
    return " ".join(section.get_text(" ").split()) if section else ""


def visitor(address="203.0.113.7"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


# --- typing forgiven ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "dhyk-hq64m",
        "DHYK HQ64M",
        " d.h.y.k hq64m ",
        "DHYKHQ64M",
        "ĐHYK-HQ64M",
        "DHYK–HQ64M".replace("–", "-"),
    ],
)
def test_case_spaces_dashes_dots_and_vietnamese_d_are_forgiven(typed):
    assert normalise_typed(typed) == "DHYKHQ64M"


def test_a_q_read_as_o_or_zero_is_q_and_other_scripts_look_alikes_are_latin():
    assert normalise_typed("dhyk-hO64m") == "DHYKHQ64M"
    assert normalise_typed("DHYK-H064M") == "DHYKHQ64M"
    assert normalise_typed("АСЕ") == "ACE"  # Cyrillic А, С, Е from a phone's Russian keyboard
    assert normalise_typed("ẤCẾ") == "ACE"  # Vietnamese marks


def test_ambiguous_look_alikes_stay_so_the_code_is_unknown_not_guessed():
    # 1/I/L, 2/Z, 5/S, 8/B, U/V: both halves outside the alphabet; no guess.
    for typed in ("1", "I", "L", "2", "Z", "5", "S", "8", "B", "U", "V"):
        assert normalise_typed(typed) == typed


def test_a_pin_forgives_letters_that_look_like_digits():
    assert normalise_pin(" 3o2-4 O8 ") == "302408"
    assert normalise_pin("I23 4S6") == "123456"


# --- the service --------------------------------------------------------------------------------


def test_first_check_with_the_right_pin_is_recorded_without_the_pin(unit):
    result = check_code(unit.serial, unit.pin, channel="web", place="abc")

    assert result.kind == "unit-first"
    assert result.batch == unit.batch and result.unit == unit
    assert result.first_on == timezone.localdate()
    check = UnitCheck.objects.get(unit=unit)
    assert (check.channel, check.pin_ok, check.place) == ("web", True, "abc")
    stored = " ".join(str(value) for value in UnitCheck.objects.values_list().get())
    assert unit.pin not in stored


def test_second_check_is_suspect_with_times_and_first_date(unit):
    check_code(unit.serial, unit.pin, channel="qr")
    result = check_code(unit.serial, unit.pin, channel="web")

    assert result.kind == "unit-again"
    assert result.times == 1
    assert result.first_on == timezone.localdate()


def test_not_counted_records_nothing_and_answers_as_the_first_time(unit):
    check_code(unit.serial, unit.pin, channel="web")
    again = check_code(unit.serial, unit.pin, channel="web", counted=False)

    assert again.kind == "unit-first"
    assert UnitCheck.objects.filter(unit=unit).count() == 1


def test_serial_without_pin_says_it_exists_and_asks_for_the_pin(unit):
    result = check_code(unit.serial, channel="web")

    assert result.kind == "unit-no-pin"
    assert result.verdict["kind"] == "valid"
    assert not UnitCheck.objects.exists()


def test_wrong_pin_is_recorded_as_wrong(unit):
    wrong = "000000" if unit.pin != "000000" else "111111"
    result = check_code(unit.serial, wrong, channel="web")

    assert result.kind == "wrong-pin"
    assert UnitCheck.objects.get(unit=unit).pin_ok is False


def wrong_pin_of(unit):
    return "000000" if unit.pin != "000000" else "111111"


def test_five_wrong_pins_lock_that_unit_only_for_an_hour(batch, make_unit):
    unit, neighbour = make_unit(batch), make_unit(batch)
    for _ in range(LOCK_AFTER):
        assert check_code(unit.serial, wrong_pin_of(unit), channel="web").kind == "wrong-pin"

    assert check_code(unit.serial, unit.pin, channel="web").kind == "locked"
    assert check_code(neighbour.serial, neighbour.pin, channel="web").kind == "unit-first"
    # An hour later the unit answers again.
    UnitCheck.objects.filter(unit=unit).update(at=timezone.now() - datetime.timedelta(hours=1, minutes=1))
    assert check_code(unit.serial, unit.pin, channel="web").kind == "unit-first"


def test_unknown_codes(batch):
    for typed in ("", "ZZZZZZZZ", "ACDEFGHJ", "ACDEFGHJK", "x" * 500, "<script>"):
        assert check_code(typed, "123456", channel="web").kind == "unknown"


def test_batch_code_answers_the_batch_verdict(batch):
    result = check_code(batch.short_code.lower(), channel="web")

    assert result.kind == "batch"
    assert result.batch == batch
    assert result.verdict["kind"] == "valid"


def test_unpublished_batch_and_its_units_are_unknown(batch, unit):
    batch.unpublish()

    assert check_code(batch.short_code, channel="web").kind == "unknown"
    assert check_code(unit.serial, unit.pin, channel="web").kind == "unknown"


def test_void_unit_says_it_was_withdrawn(unit):
    unit.voided_at = timezone.now()
    unit.save()

    assert check_code(unit.serial, unit.pin, channel="web").kind == "void"
    assert not UnitCheck.objects.exists()


def test_short_code_and_serial_typed_together(batch, unit):
    assert check_code(f"{batch.short_code} {unit.serial}", unit.pin, channel="web").kind == "unit-first"


# --- the form -----------------------------------------------------------------------------------


def test_the_form_is_plain_html_without_script():
    response = visitor().get("/check/")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("script") is None
    form = soup.find("form", attrs={"action": "/check/", "method": "get"})
    assert form.find("input", attrs={"name": "code"}) is not None


def test_first_check_then_another_visitor_is_told_it_was_checked(unit):
    first = post_check(visitor("203.0.113.7"), unit.serial, unit.pin)
    assert first.status_code == 200
    assert "first check" in answer_text(first)
    assert pictograms(soup_of(first).find("h2", id="answer-heading")) == ["valid"]

    second = post_check(visitor("198.51.100.9"), unit.serial.lower(), unit.pin)
    text = answer_text(second)
    assert "already checked" in text.lower()
    assert f"Already checked 1 time, first on {timezone.localdate():%d/%m/%Y}" in text
    assert pictograms(soup_of(second).find("h2", id="answer-heading")) == ["copied"]
    assert "Report a suspect product" in second.content.decode()


def test_the_same_visitor_again_the_same_day_counts_once(unit):
    client = visitor()
    post_check(client, unit.serial, unit.pin)
    again = post_check(client, unit.serial, unit.pin)

    assert "first check" in answer_text(again)
    assert UnitCheck.objects.filter(unit=unit, pin_ok=True).count() == 1


def test_wrong_pin_and_lockout_on_the_form(batch, make_unit):
    unit, neighbour = make_unit(batch), make_unit(batch)
    client = visitor()
    for _ in range(LOCK_AFTER):
        assert "Wrong PIN" in answer_text(post_check(client, unit.serial, wrong_pin_of(unit)))

    locked = post_check(client, unit.serial, unit.pin)
    assert "Locked for an hour" in answer_text(locked)
    # The same network checks another unit all the same.
    assert "first check" in answer_text(post_check(client, neighbour.serial, neighbour.pin))


def test_unknown_code_answers_404_with_help(batch):
    response = visitor().get("/check/", {"code": "ACDEFGHJ"})

    assert response.status_code == 404
    text = answer_text(response)
    assert "not in our records" in text
    assert "never use" in text


def test_batch_code_answers_its_verdict_and_links_its_trace_page(batch):
    response = visitor().get("/check/", {"code": batch.short_code.lower()})

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("a", href=f"/t/{batch.short_code}") is not None
    assert pictograms(soup.find("h2", id="answer-heading")) == ["valid"]


def test_void_unit_on_the_form(unit):
    unit.voided_at = timezone.now()
    unit.save()

    assert "Withdrawn by the producer" in answer_text(visitor().get("/check/", {"code": unit.serial}))


def test_serial_alone_asks_for_the_pin_by_post(unit):
    response = visitor().get("/check/", {"code": unit.serial})

    soup = soup_of(response)
    assert "in our records" in answer_text(response)
    form = soup.find("input", attrs={"name": "pin"}).find_parent("form")
    assert form["method"] == "post" and form["action"] == "/check/"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None


def test_a_pin_in_the_query_is_never_accepted(unit):
    client = visitor()
    redirect = client.get("/check/", {"code": unit.serial, "pin": unit.pin})
    assert redirect.status_code == 302
    assert redirect["Location"] == f"/check/?code={unit.serial}"
    response = client.get(redirect["Location"])

    assert "first check" not in answer_text(response)
    assert not UnitCheck.objects.filter(pin_ok=True).exists()
    assert unit.pin not in response.content.decode()


def test_the_pin_is_never_written_back_into_the_page(unit):
    for pin in (unit.pin, wrong_pin_of(unit)):
        html = post_check(visitor(), unit.serial, pin).content.decode()
        assert pin not in html
        assert not re.search(r"[?&]pin=", html)


def test_the_post_needs_a_csrf_token(unit):
    client = Client(enforce_csrf_checks=True)

    assert client.post("/check/", {"code": unit.serial, "pin": unit.pin}).status_code == 403
    assert not UnitCheck.objects.exists()


@pytest.mark.parametrize("code", ["x" * 5000, "\x00\x01", "%%%", "a/b/c", "💥"])
def test_bad_input_gets_a_sentence_never_a_500(code, unit):
    for response in (visitor().get("/check/", {"code": code}), post_check(visitor(), code, "1" * 3000)):
        assert response.status_code in (200, 400, 404)


def test_the_form_answers_in_the_visitors_language(unit):
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="vi").get("/check/", {"code": unit.serial})
    english = visitor().get("/check/", {"code": unit.serial})

    assert vietnamese["Content-Language"] == "vi" and english["Content-Language"] == "en"
    assert soup_of(vietnamese).html["lang"] == "vi" and soup_of(english).html["lang"] == "en"


def test_unknown_codes_on_the_form_are_rate_limited(settings, batch):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"trace_miss": (3, 600)}
    client = visitor("192.0.2.44")
    statuses = [client.get("/check/", {"code": f"ACDEFGH{c}"}).status_code for c in "JKMNP"]

    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]
    # A real code is refused too once the client has guessed too much: nothing to enumerate.
    assert client.get("/check/", {"code": batch.short_code}).status_code == 429


def test_footer_check_form_on_home_and_trace_page(client, home, batch):
    for url in ("/", f"/t/{batch.short_code}"):
        form = soup_of(client.get(url)).find("footer").find("form")
        assert form["action"] == "/check/" and form["method"] == "get"
        assert form.find("input", attrs={"name": "code"}) is not None


def test_the_not_found_page_offers_the_check_form(client, batch):
    response = client.get("/t/ACDEFGHJ")

    assert response.status_code == 404
    forms = soup_of(response).select("article form[action='/check/']")
    assert forms


def test_every_answer_has_its_own_large_pictogram(batch, make_unit):
    unit, locked, void = make_unit(batch), make_unit(batch), make_unit(batch, voided_at=timezone.now())
    for _ in range(LOCK_AFTER):
        check_code(locked.serial, wrong_pin_of(locked), channel="web")
    answers = {
        "unknown": visitor().get("/check/", {"code": "ACDEFGHJK"}),
        "batch": visitor().get("/check/", {"code": batch.short_code}),
        "unit-no-pin": visitor().get("/check/", {"code": unit.serial}),
        "wrong-pin": post_check(visitor(), unit.serial, wrong_pin_of(unit)),
        "unit-first": post_check(visitor(), unit.serial, unit.pin),
        "unit-again": post_check(visitor("198.51.100.1"), unit.serial, unit.pin),
        "locked": post_check(visitor(), locked.serial, locked.pin),
        "void": post_check(visitor(), void.serial, void.pin),
    }
    headings = {kind: soup_of(response).find("h2", id="answer-heading") for kind, response in answers.items()}
    drawn = {kind: pictograms(heading) for kind, heading in headings.items()}

    assert drawn == {
        "unknown": ["revoked"],
        "batch": ["valid"],
        "unit-no-pin": ["info"],
        "wrong-pin": ["revoked"],
        "unit-first": ["valid"],
        "unit-again": ["copied"],
        "locked": ["locked"],
        "void": ["recalled"],
    }
    assert all(heading["class"] == ["pictogram"] for heading in headings.values())  # drawn large


def test_a_genuine_unit_of_a_recalled_batch_says_the_batch_is_recalled(batch, unit):
    batch.recalled_on = timezone.localdate()
    batch.recall_reason = "Độ ẩm cao"
    batch.save_revision().publish()

    text = answer_text(post_check(visitor(), unit.serial, unit.pin))

    assert "first check" in text
    assert "This batch has been recalled" in text


def test_other_methods_are_refused_plainly(unit):
    assert visitor().head("/check/", {"code": unit.serial}).status_code == 200
    assert visitor().put("/check/").status_code == 405
    assert visitor().delete("/check/").status_code == 405


def recall(batch):
    batch.recalled_on = timezone.localdate()
    batch.recall_reason = "Độ ẩm cao"
    batch.save_revision().publish()


@pytest.mark.parametrize("second", [False, True], ids=["first-check", "already-checked"])
def test_a_genuine_unit_of_a_recalled_batch_says_the_recall_first_not_in_green(batch, unit, second):
    """Issue 18 §5: a recalled batch "says so first"; a genuine label does not make it safe."""
    recall(batch)
    if second:
        post_check(visitor("198.51.100.1"), unit.serial, unit.pin)

    response = post_check(visitor(), unit.serial, unit.pin)

    assert answer_text(response).startswith("This batch has been recalled")
    section = soup_of(response).find("section", attrs={"aria-labelledby": "answer-heading"})
    assert "box-valid" not in section["class"]


def test_a_genuine_unit_of_a_batch_harvested_under_a_suspended_code_warns_first(
    make_batch, area, registry, make_unit
):
    from growers.factories import suspend

    before_harvest = timezone.localdate() - datetime.timedelta(days=60)
    suspend(area, reason="Kiểm tra không đạt", effective_date=before_harvest)
    unit = make_unit(make_batch())

    response = post_check(visitor(), unit.serial, unit.pin)

    assert answer_text(response).startswith("Warning: the growing-area code was not valid at harvest")
    assert "first check" in answer_text(response)
    section = soup_of(response).find("section", attrs={"aria-labelledby": "answer-heading"})
    assert "box-valid" not in section["class"]


@pytest.mark.parametrize("spaced", [False, True], ids=["pin", "pin-in-two-groups"])
def test_a_pin_typed_after_the_serial_in_the_code_field_leaves_the_url_at_once(unit, spaced):
    """People type "serial PIN" as they text it; the footer's form is a GET, so the PIN reaches
    the address: it is sent away at once without it (as ?pin= is), never read nor shown."""
    pin = f"{unit.pin[:3]} {unit.pin[3:]}" if spaced else unit.pin
    client = visitor()
    redirect = client.get("/check/", {"code": f"{unit.serial} {pin}"})

    assert redirect.status_code == 302
    assert redirect["Location"] == f"/check/?code={unit.serial}"
    assert not UnitCheck.objects.exists()
    response = client.get(redirect["Location"])
    assert "in our records" in answer_text(response)
    assert unit.pin not in response.content.decode().replace(" ", "")


def test_a_pin_typed_after_the_serial_in_the_code_field_is_checked_when_posted(unit):
    response = post_check(visitor(), f"{unit.serial} {unit.pin}", "")

    assert "first check" in answer_text(response)
    assert unit.pin not in response.content.decode()
