"""GTINs on pack sizes: optional, checked by their check digit, stored as 14 digits (GS1 Digital
Link URLs carry the 14-digit form, so that is what must be found)."""

import pytest

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from products.factories import ProductPageFactory, ProductVariantFactory
from products.gtin import gtin_check_digit, is_valid_gtin, normalise_gtin
from products.models import ProductVariant

# Published, real-world numbers; check digits worked by hand (weights 3,1,3,1… from the right).
# 893456313816 → 6·3+1+8·3+3+1·3+3+6·3+5+4·3+3+9·3+8 = 125 → (10 − 5) mod 10 = 5.
VALID = [
    ("96385074", "00000096385074"),  # GTIN-8 (EAN-8)
    ("40170725", "00000040170725"),  # GTIN-8
    ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
    ("4006381333931", "04006381333931"),  # GTIN-13 (EAN-13)
    ("5901234123457", "05901234123457"),  # GTIN-13, GS1's own example
    ("8934563138165", "08934563138165"),  # GTIN-13 with Vietnam's prefix 893
    ("8935049500506", "08935049500506"),  # GTIN-13, 893
    ("10614141000415", "10614141000415"),  # GTIN-14 (a case of trade items)
    ("00012345678905", "00012345678905"),  # GTIN-14, a padded GTIN-12
]


@pytest.fixture
def product(coop1):
    return ProductPageFactory(parent=coop1, title="Thảo quả khô", summary="")


def variant(product, gtin, sku="TQ-500"):
    return ProductVariant(
        page=product, pack_label="Túi 500 g", weight_grams=500, sku=sku, price=120000, stock=5, gtin=gtin
    )


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("9638507", 4),
        ("03600029145", 2),
        ("893456313816", 5),
        ("400638133393", 1),
        ("1061414100041", 5),
        ("1950110153000", 0),  # sum is a multiple of ten: check digit 0, not 10
    ],
)
def test_check_digit(body, check):
    assert gtin_check_digit(body) == check


@pytest.mark.parametrize(("typed", "stored"), VALID)
def test_valid_gtins_are_padded_to_14_digits(typed, stored):
    assert normalise_gtin(typed) == stored
    assert is_valid_gtin(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "893 4563 13816 5",
        "893-4563-13816-5",
        " 8934563138165 ",
        "8934563138165\n",
        "8\u00a0934563\u00a0138165",  # no-break spaces, as pasted from a spreadsheet
        "08934563138165",
        "８９３４５６３１３８１６５",  # full-width digits from a phone keyboard
    ],
)
def test_spaces_dashes_and_other_digit_forms_are_tolerated(typed):
    assert normalise_gtin(typed) == "08934563138165"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("8934563138160", "gtin_check_digit"),  # last digit should be 5
        ("8934563138156", "gtin_check_digit"),  # two digits swapped
        ("96385075", "gtin_check_digit"),
        ("10614141000416", "gtin_check_digit"),
        ("893456313816A", "gtin_digits"),
        ("O8934563138165", "gtin_digits"),  # letter O for zero
        ("89345631381²5", "gtin_digits"),  # a digit to Python, not a number
        ("893.4563.138165", "gtin_digits"),
        ("-", "gtin_digits"),
        ("1234567", "gtin_length"),
        ("123456789", "gtin_length"),  # between GTIN-8 and GTIN-12
        ("12345678901", "gtin_length"),
        ("123456789012345", "gtin_length"),
        ("000000008934563138165", "gtin_length"),
    ],
)
def test_invalid_gtins_are_rejected_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as error:
        normalise_gtin(typed)

    assert error.value.code == code
    assert not is_valid_gtin(typed)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The last digit of this GTIN should be 5; please check the number."),
        ("vi", "Chữ số cuối của mã GTIN này phải là 5; vui lòng kiểm tra lại mã số."),
    ],
)
def test_wrong_check_digit_message_names_the_expected_digit(language, expected):
    with pytest.raises(ValidationError) as error:
        normalise_gtin("8934563138160")

    with translation.override(language):
        assert error.value.messages == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A GTIN has 8, 12, 13 or 14 digits; this one has 9."),
        ("vi", "Mã GTIN có 8, 12, 13 hoặc 14 chữ số; mã này có 9 chữ số."),
    ],
)
def test_wrong_length_message_counts_the_digits(language, expected):
    with pytest.raises(ValidationError) as error:
        normalise_gtin("893456313")

    with translation.override(language):
        assert error.value.messages == [expected]


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "A GTIN contains digits only."), ("vi", "Mã GTIN chỉ gồm các chữ số.")]
)
def test_letters_in_a_gtin_are_explained(language, expected):
    with pytest.raises(ValidationError) as error:
        normalise_gtin("893456313816A")

    with translation.override(language):
        assert error.value.messages == [expected]


# The model field ---------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), VALID)
def test_full_clean_stores_14_digits(product, typed, stored):
    pack = variant(product, typed)
    pack.full_clean()
    pack.save()

    pack.refresh_from_db()
    assert pack.gtin == stored


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_gtin_is_optional_and_empty_is_stored_as_null(product, typed):
    pack = variant(product, typed)
    pack.full_clean()
    pack.save()

    assert ProductVariant.objects.get(pk=pack.pk).gtin is None


def test_several_packs_without_gtin_are_allowed(product):
    for number, typed in enumerate([None, "", " "]):
        pack = variant(product, typed, sku=f"TQ-{number}")
        pack.full_clean()
        pack.save()

    assert ProductVariant.objects.filter(page=product, gtin__isnull=True).count() == 3


@pytest.mark.parametrize("typed", ["8934563138160", "893456313816A", "12345"])
def test_full_clean_rejects_invalid_gtin_on_the_gtin_field(product, typed):
    with pytest.raises(ValidationError) as error:
        variant(product, typed).full_clean()

    assert list(error.value.message_dict) == ["gtin"]


def test_same_gtin_typed_differently_is_a_duplicate(product, coop2):
    first = variant(product, "8934563138165")
    first.full_clean()
    first.save()
    other_product = ProductPageFactory(parent=coop2, title="Chè", summary="")

    with pytest.raises(ValidationError) as error:
        variant(other_product, "0 893-4563-13816-5").full_clean()

    assert list(error.value.message_dict) == ["gtin"]


def test_save_without_full_clean_still_stores_14_digits_and_null(product):
    with_gtin = ProductVariantFactory(page=product, gtin="8934563138165")
    without = ProductVariantFactory(page=product, gtin="")
    also_without = ProductVariantFactory(page=product, gtin="")

    assert with_gtin.gtin == "08934563138165"
    assert ProductVariant.objects.get(pk=with_gtin.pk).gtin == "08934563138165"
    assert ProductVariant.objects.filter(pk__in=[without.pk, also_without.pk], gtin__isnull=True).count() == 2


@pytest.mark.parametrize("looked_up", ["8934563138165", "08934563138165", "893-4563-13816-5"])
def test_lookup_finds_a_gtin_in_any_accepted_form(product, looked_up):
    pack = ProductVariantFactory(page=product, gtin="08934563138165")

    assert ProductVariant.objects.get(gtin=looked_up) == pack


def test_lookup_with_an_invalid_gtin_finds_nothing(product):
    ProductVariantFactory(page=product, gtin="08934563138165")

    assert not ProductVariant.objects.filter(gtin="8934563138160").exists()


def test_save_without_full_clean_refuses_an_invalid_gtin(product):
    with pytest.raises(ValidationError), transaction.atomic():
        ProductVariantFactory(page=product, gtin="8934563138160")

    assert not ProductVariant.objects.filter(page=product).exists()
