"""The agriculture officer's register of growing-area codes in the Wagtail admin.

One ModelViewSet (list with filters, search and export; add; edit; inspect; history; usage;
delete for superusers only) plus three status actions (suspend, reinstate, revoke), each a form
that calls growers.services.change_status. Permissions are Django's model permissions, read
through Wagtail's ModelPermissionPolicy:

- view_growingarea: list, inspect, export (cooperative editors, officers);
- add / change_growingarea: add and edit, with households, certifications and inspections;
  history and usage (officers);
- change_status_growingarea: the status actions (officers);
- delete: superusers only, whatever permissions a group is given: a code that must go is
  revoked, so that its history stays.

One job per module: ``filters``, ``views`` (list, add, edit, delete, inspect),
``status_actions`` (suspend, reinstate, revoke and their history), ``viewset`` (the viewset and
its menu group) and ``dashboard``. The names below are importable from here.
"""

from .dashboard import DASHBOARD_LIMIT, GrowingAreasDashboardPanel
from .filters import EXPIRING_SOON_DAYS, GrowingAreaFilterSet
from .status_actions import STATUS_ACTIONS, StatusChangeView, register_status_log_actions
from .views import (
    GrowingAreaCreateView,
    GrowingAreaDeleteView,
    GrowingAreaEditView,
    GrowingAreaIndexView,
    GrowingAreaInspectView,
    GrowingAreaPermissionsMixin,
)
from .viewset import (
    GrowingAreasViewSetGroup,
    GrowingAreaViewSet,
    StatusHistoryPanel,
    effective_status_is_valid,
    growing_area_viewset,
)

__all__ = [
    "DASHBOARD_LIMIT",
    "EXPIRING_SOON_DAYS",
    "STATUS_ACTIONS",
    "GrowingAreaCreateView",
    "GrowingAreaDeleteView",
    "GrowingAreaEditView",
    "GrowingAreaFilterSet",
    "GrowingAreaIndexView",
    "GrowingAreaInspectView",
    "GrowingAreaPermissionsMixin",
    "GrowingAreaViewSet",
    "GrowingAreasDashboardPanel",
    "GrowingAreasViewSetGroup",
    "StatusChangeView",
    "StatusHistoryPanel",
    "effective_status_is_valid",
    "growing_area_viewset",
    "register_status_log_actions",
]
