"""VietQR (NAPAS's profile of the EMVCo merchant-presented QR) for a bank transfer to a
cooperative's account, as in DESIGN §2: the payload and its CRC. The QR drawn from it is
drawn as every QR of the site is (traceability.qr)."""

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

# The NAPAS BINs of the banks a highland cooperative is most likely to use; anything else is
# shown by its number (the buyer's bank app names it once scanned).
BANK_NAMES = {
    "970415": "VietinBank",
    "970405": "Agribank",
    "970436": "Vietcombank",
    "970418": "BIDV",
    "970422": "MB",
    "970407": "Techcombank",
    "970432": "VPBank",
    "970423": "TPBank",
    "970403": "Sacombank",
    "970416": "ACB",
}


def bank_name(bin: str) -> str:
    return BANK_NAMES.get(bin, f"BIN {bin}")


def tlv(tag: str, value: str) -> str:
    """One EMVCo field: 2-digit tag, 2-digit length, value (at most 99 characters)."""
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) as 4 upper hex."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def vietqr_payload(
    *, bin: str, account: str, amount: int | None = None, reference: str = "", dynamic: bool | None = None
) -> str:
    """The VietQR string for a transfer of `amount` VND to `account` at the bank `bin`, with
    `reference` as the transfer note. Dynamic ("12", one payment) when there is an amount,
    unless `dynamic` says otherwise (published test vectors are often static with an amount)."""
    if not (bin.isdigit() and len(bin) == 6):
        raise ValueError("A bank BIN is 6 digits")
    if not account:
        raise ValueError("An account number is required")
    if amount is not None and (int(amount) != amount or amount <= 0):
        raise ValueError("The amount is a positive whole number of VND")
    if not reference.isascii():
        raise ValueError("The reference must be ASCII: banks strip diacritics")
    if dynamic is None:
        dynamic = amount is not None
    beneficiary = tlv("00", bin) + tlv("01", account)
    merchant_account = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    payload = (
        tlv("00", "01")
        + tlv("01", "12" if dynamic else "11")
        + tlv("38", merchant_account)
        + tlv("53", CURRENCY_VND)
        + (tlv("54", str(int(amount))) if amount is not None else "")
        + tlv("58", COUNTRY_VN)
        + (tlv("62", tlv("08", reference)) if reference else "")
        + "6304"
    )
    return payload + crc16_ccitt_false(payload)
