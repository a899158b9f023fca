from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from tracker.accounts import views as accounts

admin.site.site_header = "Ripple administration"
admin.site.site_title = "Ripple admin"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, the admin's included.
    path("favicon.ico", lambda request: redirect(static("ripple/favicon.svg"), permanent=True)),
    path("learn/", include("education.urls")),
    path("", include("tracker.urls")),
]
