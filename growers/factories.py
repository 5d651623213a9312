import factory
import wagtail_factories

from .models import CooperativeCertification, CooperativeIndexPage, CooperativePage


class CooperativeIndexPageFactory(wagtail_factories.PageFactory):
    title = "Hợp tác xã"
    slug = "cooperatives"

    class Meta:
        model = CooperativeIndexPage


class CooperativePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"HTX Thảo quả số {n}")
    slug = factory.Sequence(lambda n: f"htx-{n}")
    village = "Sì Lở Lầu"
    address = "Xã Sì Lở Lầu, huyện Phong Thổ, tỉnh Lai Châu"
    household_count = 24
    bank_bin = "970415"
    bank_account_number = "0011001932418"
    bank_account_name = "HTX THAO QUA SI LO LAU"

    class Meta:
        model = CooperativePage


class CooperativeCertificationFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(CooperativePageFactory)
    scheme = "vietgap"
    number = factory.Sequence(lambda n: f"VG-{n:04d}")
    issuer = "Sở NN&PTNT Lai Châu"

    class Meta:
        model = CooperativeCertification
