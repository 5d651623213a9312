"""Admin viewsets shared by the apps above."""

from django.urls import path

from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyModelViewSet(ModelViewSet):
    """A list and an inspect view, nothing else: no add, edit, copy, delete, history or usage
    view, for anyone. For records the site writes itself and people only read (orders and bank
    notices, written by checkouts and services; text messages, by the SMS channel)."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def url_finder_class(self):
        # Links from elsewhere in the admin (e.g. search) lead to the inspect view.
        from wagtail.admin.admin_url_finder import ModelAdminURLFinder

        return type(
            f"{self.model.__name__}AdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
