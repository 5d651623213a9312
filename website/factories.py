import factory
import wagtail_factories

from .models import HomePage, User


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pass-word-123")

    class Meta:
        model = User
        django_get_or_create = ("username",)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Chợ xã Sì Lở Lầu"
    slug = "home"

    class Meta:
        model = HomePage
