"""Signal wiring for the products' models: cached pages show packs' prices and stock (stock taken
by orders calls invalidate itself) and categories name the catalogue's filters
(website/page_cache.py)."""

from website.signal_handlers import invalidate_page_cache_on_change

from .models import Category, ProductVariant


def register_signal_handlers() -> None:
    invalidate_page_cache_on_change(ProductVariant, Category)
