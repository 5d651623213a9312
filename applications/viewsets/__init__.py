"""The officer's queue of code applications in the Wagtail admin (DESIGN §2).

One ModelViewSet ("Code applications" in the menu): the list by status, village and crop; an
application's page with its plots, households, files, steps, inspections and possible duplicates;
the desk entry and the correction of the applicant's details; the steps, each a small form calling
applications.services; the private files, streamed to those who may see the application.

Who may do what: ``access`` (officers everything, a cooperative's editors their own
applications read-only, nobody deletes). One job per module: ``access``, ``filters``, ``forms``,
``views``, ``steps``, ``viewset``, ``dashboard``."""

from .access import application_permission_policy, may_act, visible_applications
from .dashboard import ApplicationsDashboardPanel
from .steps import STEPS, FileView, StepView, register_step_log_actions
from .viewset import ApplicationViewSet, application_viewset

__all__ = [
    "STEPS",
    "ApplicationViewSet",
    "ApplicationsDashboardPanel",
    "FileView",
    "StepView",
    "application_permission_policy",
    "application_viewset",
    "may_act",
    "register_step_log_actions",
    "visible_applications",
]
