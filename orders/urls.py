"""The buyer's order URLs (DESIGN §4), under the "orders" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/done/<uuid:checkout_id>/", views.checkout_done, name="checkout_done"),
    # The token is the buyer's only key to the order: 43 URL-safe characters.
    path("orders/<str:token>/", views.order_detail, name="detail"),
    path("orders/<str:token>/vietqr.png", views.order_vietqr_png, name="vietqr_png"),
]
