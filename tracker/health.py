"""A health check for a load balancer: "ok" when the database answers, and nothing
else: no version, no counts, no error text."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("unavailable\n", content_type="text/plain", status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok\n", content_type="text/plain")
