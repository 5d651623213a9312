from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from . import rate_limits, signal_handlers  # noqa: F401  (connects the notification receivers)

        rate_limits.register()
