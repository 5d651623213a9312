"""Input no browser would send, from an anonymous visitor or a signed-in editor: a form in another
charset, a NUL byte in an address or a search. Each gets a plain 400 that says what is wrong,
never a 500, and changes nothing."""

import pytest

from django.test import Client

from growers.factories import GrowingAreaIndexPageFactory
from orders.models import Order
from website.factories import UserFactory

FORM_PATHS = ["/cart/add/", "/checkout/", "/en/checkout/", "/orders/find/", "/admin/login/", "/_util/login/"]


def plain_400(response) -> bool:
    return response.status_code == 400 and response["Content-Type"].startswith("text/plain")


@pytest.fixture
def visitor(home):
    client = Client(raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32
    return client


@pytest.fixture
def editor(home):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "nonsense"])
@pytest.mark.parametrize("path", FORM_PATHS)
def test_a_form_posted_in_another_charset_gets_a_plain_400(visitor, path, charset):
    body = b"csrfmiddlewaretoken=" + b"a" * 32 + b"&quantity=1&name=L\xea&username=x&password=y"
    response = visitor.generic(
        "POST", path, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )

    assert plain_400(response)
    assert "UTF-8" in response.content.decode()
    assert not Order.objects.exists()


def test_a_form_in_utf_8_said_in_other_words_is_read(visitor):
    response = visitor.generic(
        "POST",
        "/orders/find/",
        b"csrfmiddlewaretoken=" + b"a" * 32,
        content_type="application/x-www-form-urlencoded; charset=UTF8",
    )

    assert response.status_code != 400


@pytest.mark.parametrize(
    "url",
    ["/orders/abc%00def/", "/en/orders/abc%00def/", "/hmn/orders/abc%00def/", "/orders/abc%00def/vietqr.png"],
)
def test_a_nul_in_an_order_address_gets_a_plain_400(visitor, url):
    response = visitor.get(url)

    assert plain_400(response)
    assert "NUL" in response.content.decode()


PUBLIC_SEARCHES = [
    "/shop/?q=%00",
    "/en/shop/?q=tea%00",
    "/shop/?q=tea&category=%00&page=%00",
    "/growing-areas/?q=%00",
    "/growing-areas/?crop=%00&village=%00&status=%00",
    "/growing-areas/LC%00/",
    "/check/?code=%00",
    "/t/AB%00CD",
    "/01/96385074/10/TQ%0001",
    "/api/v1/growing-areas/VN%00",
    "/api/v1/batches/AB%00CD",
    "/language/en/?next=/%00",
]


@pytest.mark.parametrize("url", PUBLIC_SEARCHES)
def test_a_nul_in_a_public_search_or_code_is_answered_never_a_500(visitor, shop, url):
    GrowingAreaIndexPageFactory(parent=shop.get_parent())  # the registry, beside the catalogue

    response = visitor.get(url)

    assert response.status_code in (200, 302, 400, 404)


ADMIN_SEARCHES = [
    "/admin/api/main/pages/?search=%00",
    "/admin/api/main/pages/?search=tea%00&search_operator=and",
    "/admin/pages/search/?q=%00",
    "/admin/batches/?q=%00",
    "/admin/tag-autocomplete/?term=%00",
    "/admin/images/?q=%00",
    "/admin/documents/?q=%00",
    "/admin/users/?q=%00",
    "/admin/growing-areas/?q=%00",
    "/admin/orders/?q=%00",
    "/admin/snippets/products/category/?q=%00",
    "/admin/choose-page/search/?q=%00",
]


@pytest.mark.parametrize("url", ADMIN_SEARCHES)
def test_an_editor_searching_for_a_nul_gets_a_plain_400(editor, url):
    response = editor.get(url)

    assert plain_400(response)


@pytest.mark.parametrize("url", ADMIN_SEARCHES)
def test_the_same_searches_without_the_nul_still_answer(editor, url):
    response = editor.get(url.replace("%00", "tea"))

    assert response.status_code in (200, 302)
