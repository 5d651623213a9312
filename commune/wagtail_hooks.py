from wagtail import hooks


@hooks.register("register_admin_urls")
def register_report_urls():
    from .admin_views import admin_urls

    return admin_urls()


@hooks.register("register_growing_areas_menu_item")
def register_reports_menu_item():
    from .admin_views import menu_item

    return menu_item()
