"""Reading a VietQR payload back as a banking app does: the EMVCo fields, {tag: value}."""


def parse_tlv(data: str) -> dict[str, str]:
    fields, position = {}, 0
    while position < len(data):
        tag, length = data[position : position + 2], int(data[position + 2 : position + 4])
        fields[tag] = data[position + 4 : position + 4 + length]
        position += 4 + length
    return fields
