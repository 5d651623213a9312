from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowersConfig(AppConfig):
    name = "growers"
    verbose_name = _("Growers")

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from .signal_handlers import register_signal_handlers

        register_signal_handlers()

        copy_for_translation_done.connect(
            _share_editors_with_translation, dispatch_uid="growers-share-editors-with-translation"
        )


def _share_editors_with_translation(sender, source_obj, target_obj, **kwargs):
    from .services import share_editors_with_translation

    source = getattr(source_obj, "specific", source_obj)
    share_editors_with_translation(source=source, translation=target_obj)
