"""The VietQR payload (DESIGN §2) against a published vector, field by field, and its CRC."""

import pytest

from orders.vietqr import bank_name, crc16_ccitt_false, vietqr_payload
from traceability.qr import qr_png, qr_svg

from .emvco import parse_tlv

# Published by an independent generator; quoted in DESIGN §2.
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)
PUBLISHED_ARGS = {"bin": "970415", "account": "0011001932418", "amount": 120000, "reference": "ung ho lu lut"}


def test_payload_reproduces_the_published_vector_exactly():
    assert vietqr_payload(**PUBLISHED_ARGS) == PUBLISHED


def test_payload_fields_one_by_one():
    fields = parse_tlv(vietqr_payload(**PUBLISHED_ARGS))
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"  # dynamic: one payment of a fixed amount
    merchant = parse_tlv(fields["38"])
    assert merchant == {"00": "A000000727", "01": "000697041501130011001932418", "02": "QRIBFTTA"}
    assert parse_tlv(merchant["01"]) == {"00": "970415", "01": "0011001932418"}
    assert fields["53"] == "704"
    assert fields["54"] == "120000"
    assert fields["58"] == "VN"
    assert parse_tlv(fields["62"]) == {"08": "ung ho lu lut"}
    assert fields["63"] == "C15C"


def test_crc_covers_everything_before_it_including_6304():
    payload = vietqr_payload(**PUBLISHED_ARGS)
    assert payload[-8:-4] == "6304"
    assert crc16_ccitt_false(payload[:-4]) == payload[-4:]
    # CRC-16/CCITT-FALSE's standard check value.
    assert crc16_ccitt_false("123456789") == "29B1"


def test_static_flag_and_order_reference():
    static = parse_tlv(vietqr_payload(**PUBLISHED_ARGS, dynamic=False))
    assert static["01"] == "11"
    order = vietqr_payload(bin="970405", account="1234567890", amount=240000, reference="SLLACDEFGHJK")
    fields = parse_tlv(order)
    assert fields["54"] == "240000"
    assert parse_tlv(fields["62"]) == {"08": "SLLACDEFGHJK"}
    assert crc16_ccitt_false(order[:-4]) == fields["63"]


def test_no_amount_is_static_without_field_54():
    fields = parse_tlv(vietqr_payload(bin="970415", account="0011001932418"))
    assert fields["01"] == "11"
    assert "54" not in fields and "62" not in fields


@pytest.mark.parametrize(
    "overrides",
    [
        {"bin": "97041"},
        {"bin": "abcdef"},
        {"account": ""},
        {"amount": 0},
        {"amount": -5},
        {"reference": "ủng hộ"},
    ],
)
def test_refuses_what_a_bank_app_would_refuse(overrides):
    with pytest.raises(ValueError):
        vietqr_payload(**{**PUBLISHED_ARGS, **overrides})


def test_a_payload_draws_as_an_inline_svg_and_a_png():
    svg = qr_svg(PUBLISHED)
    assert svg.startswith("<svg") and "<path" in svg and "<?xml" not in svg
    assert qr_png(PUBLISHED).startswith(b"\x89PNG")


def test_bank_names():
    assert bank_name("970415") == "VietinBank"
    assert bank_name("970436") == "Vietcombank"
    assert bank_name("999999") == "BIN 999999"
