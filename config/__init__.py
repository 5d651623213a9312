"""The project package: settings, root URLs and the WSGI entry point. Not an app of the product
(DESIGN §3 "Floors"): it knows every app, and no app imports it."""
