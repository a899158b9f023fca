from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker import health, languages
from tracker.accounts import views as accounts

admin.site.site_header = _("Ripple administration")
admin.site.site_title = _("Ripple admin")

# A database that can't be reached gets a kind 503 instead of the 500 (tracker/errors.py).
handler500 = "tracker.errors.server_error"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    # The second step at login (see tracker/accounts/two_factor.py)
    path("accounts/two-factor/", accounts.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/codes/", accounts.two_factor_codes, name="two-factor-codes"),
    path("accounts/two-factor/off/", accounts.two_factor_off, name="two-factor-off"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("health/", health.health, name="health"),
    path("language/", languages.choose_language, name="choose-language"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, the admin's included.
    path("favicon.ico", lambda request: redirect(static("ripple/favicon.svg"), permanent=True)),
    path("learn/", include("education.urls")),
    path("", include("tracker.urls")),
]
