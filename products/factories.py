import factory
import wagtail_factories

from .models import Category, ProductCertification, ProductPage, ProductVariant, ShopPage


class CategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Danh mục {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = Category
        django_get_or_create = ("slug",)


class ShopPageFactory(wagtail_factories.PageFactory):
    title = "Cửa hàng"
    slug = "shop"

    class Meta:
        model = ShopPage


class ProductPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Thảo quả khô {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    summary = "Quả thảo quả phơi khô trên gác bếp."

    class Meta:
        model = ProductPage


class ProductVariantFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(ProductPageFactory)
    pack_label = "Túi 500 g"
    weight_grams = 500
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = 120000
    stock = 10
    is_active = True

    class Meta:
        model = ProductVariant


class ProductCertificationFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(ProductPageFactory)
    scheme = "vietgap"
    number = factory.Sequence(lambda n: f"VG-P-{n:04d}")

    class Meta:
        model = ProductCertification
