from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from tracker import health
from tracker.accounts import views as accounts

admin.site.site_header = "Ripple administration"
admin.site.site_title = "Ripple admin"

# A database that can't be reached gets a kind 503 instead of the 500 (tracker/errors.py).
handler500 = "tracker.errors.server_error"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, the admin's included.
    path("favicon.ico", lambda request: redirect(static("ripple/favicon.svg"), permanent=True)),
    path("learn/", include("education.urls")),
    path("", include("tracker.urls")),
]
