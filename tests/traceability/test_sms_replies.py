"""The SMS replies to `SLL <code> [<pin>]` (traceability/sms_replies.py): the web's verdicts in at
most 160 characters of plain ASCII, Vietnamese without diacritics by default, with the date; a
sender counted once per unit per day, known only by a hash of their number."""

import pytest

from django.utils import timezone

from traceability.checks import LOCK_AFTER
from traceability.models import UnitCheck
from traceability.sms_replies import answer, sender_place

pytestmark = pytest.mark.django_db
SENDER = "+84912345678"
GSM_UNSAFE = set("[]{}\\^~|`")


def assert_one_plain_sms(text: str):
    assert text
    assert len(text) <= 160, (len(text), text)
    assert text.isascii(), text
    assert not GSM_UNSAFE & set(text), text


def wrong_pin_of(unit):
    return "000000" if unit.pin != "000000" else "111111"


def dashed(serial):
    return f"{serial[:4]}-{serial[4:]}"


def test_first_check_in_vietnamese_without_diacritics(unit):
    reply = answer([dashed(unit.serial), unit.pin], sender=SENDER)

    assert_one_plain_sms(reply)
    assert reply.startswith("Dung nguon goc")
    assert timezone.localdate().strftime("%d/%m/%Y") in reply
    assert unit.serial in reply


def test_first_check_in_english(unit):
    reply = answer([unit.serial, unit.pin], sender=SENDER, language="en")

    assert_one_plain_sms(reply)
    assert reply.startswith("Genuine, first check")


def test_the_code_may_be_split_by_spaces_and_lower_case(unit):
    words = [unit.serial[:4].lower(), unit.serial[4:].lower(), unit.pin]

    assert answer(words, sender=SENDER, language="en").startswith("Genuine")


def test_a_check_is_recorded_as_sms_with_the_sender_hashed(unit):
    answer([unit.serial, unit.pin], sender=SENDER)

    check = UnitCheck.objects.get(unit=unit)
    assert check.channel == "sms" and check.pin_ok is True
    assert check.place == sender_place(SENDER)
    assert "912345678" not in check.place and unit.pin not in check.place


def test_the_same_sender_twice_the_same_day_counts_once(unit):
    answer([unit.serial, unit.pin], sender=SENDER)
    again = answer([unit.serial, unit.pin], sender="0912 345 678".replace("0", "+84", 1))

    assert again.startswith("Dung nguon goc")
    assert UnitCheck.objects.filter(unit=unit, pin_ok=True).count() == 1


def test_another_sender_is_told_it_was_already_checked(unit):
    answer([unit.serial, unit.pin], sender=SENDER)
    reply = answer([unit.serial, unit.pin], sender="+84987654321", language="en")

    assert_one_plain_sms(reply)
    assert "already checked 1 time(s)" in reply
    assert timezone.localdate().strftime("%d/%m/%Y") in reply


def test_every_kind_fits_one_plain_sms_in_both_languages(batch, make_unit, registry):
    contact = "Phòng Kinh tế huyện Phong Thổ, số điện thoại 0213 3890 000 [giờ hành chính] ~ "
    registry.report_contact = contact * 2
    registry.save_revision().publish()
    for language in ("vi", "en"):
        first, locked, void = make_unit(batch), make_unit(batch), make_unit(batch, voided_at=timezone.now())
        replies = {
            "first": answer([first.serial, first.pin], sender=SENDER, language=language),
            "again": answer([first.serial, first.pin], sender="+84900000001", language=language),
            "no-pin": answer([first.serial], sender=SENDER, language=language),
            "wrong": answer([first.serial, wrong_pin_of(first)], sender=SENDER, language=language),
            "void": answer([void.serial, void.pin], sender=SENDER, language=language),
            "batch": answer([batch.short_code], sender=SENDER, language=language),
            "unknown": answer(["ACDEFGHJK", "123456"], sender=SENDER, language=language),
            "empty": answer([], sender=SENDER, language=language),
            "long": answer(["X" * 400], sender=SENDER, language=language),
        }
        for _ in range(LOCK_AFTER):
            answer([locked.serial, wrong_pin_of(locked)], sender=SENDER, language=language)
        replies["locked"] = answer([locked.serial, locked.pin], sender=SENDER, language=language)
        for reply in replies.values():
            assert_one_plain_sms(reply)
    assert "locked" in replies["locked"]


def test_unknown_and_empty_answer_the_format(batch):
    for words in ([], [""], ["ZZZ"], ["ACDEFGHJK", "123456"]):
        reply = answer(words, sender=SENDER, language="en")
        assert "SLL <code> <PIN>" in reply
    assert "SLL" in answer([], sender=SENDER)


def test_batch_code_answers_the_batch_verdict(batch):
    reply = answer([batch.short_code.lower()], sender=SENDER, language="en")

    assert batch.short_code in reply
    assert "Growing-area code valid" in reply


def test_serial_without_pin_asks_for_it(unit):
    reply = answer([unit.serial], sender=SENDER, language="en")

    assert f"Send SLL {unit.serial} <PIN>" in reply
    assert not UnitCheck.objects.exists()


def test_wrong_pin_lock_and_void(batch, make_unit):
    unit = make_unit(batch)
    for _ in range(LOCK_AFTER):
        assert "wrong PIN" in answer([unit.serial, wrong_pin_of(unit)], sender=SENDER, language="en")
    assert "locked for an hour" in answer([unit.serial, unit.pin], sender=SENDER, language="en")

    void = make_unit(batch, voided_at=timezone.now())
    assert "withdrawn by the producer" in answer([void.serial, void.pin], sender=SENDER, language="en")


@pytest.mark.parametrize(
    "words, code, pin",
    [
        (["DHYKHQ64M", "123456"], "DHYKHQ64M", "123456"),
        (["DHYK", "HQ64M", "123", "456"], "DHYKHQ64M", "123456"),
        (["DHYKHQ647"], "DHYKHQ647", None),
        (["DHYKHQ", "647"], "DHYKHQ647", None),
        (["123456"], "123456", None),
    ],
)
def test_the_pin_is_the_trailing_six_digits_even_typed_in_two_groups(words, code, pin):
    from traceability.sms_replies import mask_pin, split_words

    assert split_words(words) == (code, pin)
    masked = "".join(mask_pin(words))
    assert (pin or "#") not in masked
    assert masked.startswith(code if pin else "".join(words))


def test_a_recalled_batch_is_said_first_on_a_first_and_on_a_later_check(batch, unit):
    """Issue 18 §5: a recall "says so first", whatever the label's own answer."""
    batch.recalled_on = timezone.localdate()
    batch.recall_reason = "Độ ẩm cao"
    batch.save_revision().publish()

    first = answer([unit.serial, unit.pin], sender=SENDER, language="en")
    again = answer([unit.serial, unit.pin], sender="+84987654321", language="en")

    for reply in (first, again):
        assert_one_plain_sms(reply)
        assert reply.startswith("THIS BATCH IS RECALLED"), reply
    assert "first check" in first
    assert "already checked 1 time" in again


def test_the_replies_name_the_keyword_of_the_settings(unit, settings):
    """DESIGN §4: the keyword is SMS_KEYWORD (default SLL); the replies teach the one that works."""
    settings.SMS_KEYWORD = "kt"

    for reply in (answer([], sender=SENDER), answer([unit.serial], sender=SENDER)):
        assert_one_plain_sms(reply)
        assert "KT " in reply and "SLL" not in reply, reply
