"""The page shown when a request fails. A database that can't be reached is an outage
to wait out, not a bug: a 503 with Retry-After, which browsers, load balancers and the
check-in's saves (static/ripple/offline.js) know to try again after."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER = 30  # seconds


def database_unavailable(exc: BaseException | None) -> bool:
    # OperationalError: refused, timed out, locked or missing; InterfaceError: the
    # connection closed under us. An IntegrityError or DataError is a bug: a 500.
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    """handler500: rendered without the request's context, as Django's own is, since
    what failed may be the session, the user or the database behind them. The two
    pages name their stylesheet by its plain path, which needs no manifest."""
    if database_unavailable(sys.exc_info()[1]):
        if getattr(request, "htmx", False):
            body = _(
                "Ripple can't reach its records just now. Your answer is still here; it "
                "will be saved when they're back."
            )
        else:
            body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
