from products.factories import ProductPageFactory, ProductVariantFactory


def test_home_and_shop_render(client, home, shop, coop1):
    product = ProductPageFactory(parent=coop1, title="Thảo quả khô")
    ProductVariantFactory(page=product, price=150000)
    for url in ["/", "/shop/", "/cooperatives/", coop1.url, product.url]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "150.000" in client.get("/shop/").content.decode()
