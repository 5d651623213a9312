"""/growing-areas/apply/ and an application's pages (namespace "applications"), in every language;
listed in config/urls.py before Wagtail's pages, which would take the paths (the registry page
answers /growing-areas/<code>/, and growers.codes refuses the code APPLY so none is hidden)."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("growing-areas/apply/", views.apply, name="apply"),
    path("growing-areas/apply/<str:number>/", views.status, name="status"),
    path("growing-areas/apply/<str:number>/received/", views.received, name="received"),
]
