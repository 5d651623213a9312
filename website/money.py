"""Money as the site writes it: whole Vietnamese đồng (VND has no minor unit)."""


def format_vnd(amount) -> str:
    """120000 -> '120.000 ₫': Vietnamese grouping with dots, the dong sign after a no-break
    space (so the sign never starts a line). '' for what is not a number."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,}".replace(",", ".") + "\u00a0₫"
