"""/healthz for the load balancer and the container platform: 200 when the database answers,
503 when it does not. Never cached, no session, no template: cheap enough to call every second.

With background tasks queued for a worker (BACKGROUND_TASKS=database), it also says how many
wait and how long the oldest has waited, for monitoring to alert on: a worker that is down or
behind leaves order mail unsent. That alone does not make the web process unhealthy (taking it
out of the load balancer would not help), so the answer stays 200."""

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        answer = {"status": "ok", "database": "ok"}
        if isinstance(task_backends["default"], DatabaseBackend):
            answer["tasks"] = queued_tasks()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse(answer)


def queued_tasks() -> dict:
    """Tasks ready to run that no worker has taken yet, and the age of the oldest in seconds."""
    from django_tasks_db.models import DBTaskResult

    queue = DBTaskResult.objects.ready().aggregate(waiting=Count("pk"), oldest=Min("enqueued_at"))
    oldest = queue["oldest"]
    return {
        "waiting": queue["waiting"],
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else None,
    }
