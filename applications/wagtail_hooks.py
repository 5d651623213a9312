from wagtail import hooks

from .viewsets import ApplicationsDashboardPanel, application_viewset, register_step_log_actions


@hooks.register("register_admin_viewset")
def register_code_applications():
    return application_viewset


@hooks.register("construct_homepage_panels")
def add_code_applications_dashboard_panel(request, panels):
    panels.append(ApplicationsDashboardPanel(request))


hooks.register("register_log_actions", register_step_log_actions)


@hooks.register("officer_permissions")
def officers_handle_code_applications():
    """Agriculture officers see every application, enter one at the desk, correct the applicant's
    details and take every step (applications/viewsets/access.py)."""
    return [
        ("applications", "view_application"),
        ("applications", "add_application"),
        ("applications", "change_application"),
    ]
