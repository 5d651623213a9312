"""/healthz for the load balancer and the container platform: 200 when the database answers,
503 when it does not. Never cached, no session, no template: cheap enough to call every second.

It also says whether the cache answers ("cache": "ok" or "unreachable", with the reason). A cache
that does not answer (Redis down, website/cache.py) leaves the site slower but serving every
page, so the answer stays 200 with "status": "degraded": taking every web process out of the load
balancer for it would take the site down with it. Monitoring alerts on "degraded".

With background tasks queued for a worker (BACKGROUND_TASKS=database), it also says how many
wait and how long the oldest has waited, for monitoring to alert on: a worker that is down or
behind leaves order mail unsent. That alone does not make the web process unhealthy (taking it
out of the load balancer would not help), so the answer stays 200."""

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from website.cache import OutageTolerantRedisCache


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        answer = {"status": "ok", "database": "ok", "cache": "ok"}
        if isinstance(task_backends["default"], DatabaseBackend):
            answer["tasks"] = queued_tasks()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    cache_answers, reason = cache_available()
    if not cache_answers:
        answer.update(status="degraded", cache="unreachable", reason=f"cache: {reason}")
    return JsonResponse(answer)


def cache_available() -> tuple[bool, str]:
    """Whether the default cache answers, and if not, the kind of error (not its text, which
    may name internal hosts). A cache in the process's memory always answers."""
    cache = caches["default"]
    if isinstance(cache, OutageTolerantRedisCache):
        return cache.available()
    try:
        cache.has_key("healthz:probe")
    except Exception as error:  # any other backend that fails: say so rather than answer 500
        return False, type(error).__name__
    return True, ""


def queued_tasks() -> dict:
    """Tasks ready to run that no worker has taken yet, and the age of the oldest in seconds."""
    from django_tasks_db.models import DBTaskResult

    queue = DBTaskResult.objects.ready().aggregate(waiting=Count("pk"), oldest=Min("enqueued_at"))
    oldest = queue["oldest"]
    return {
        "waiting": queue["waiting"],
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else None,
    }
