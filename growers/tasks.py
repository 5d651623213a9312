"""Background work for growing-area codes, through Django's task framework (django-tasks)."""

from django_tasks import task


@task()
def send_season_reminders_task() -> int:
    """Texts reminding holders to declare a season's start or end (growers/reminders.py).
    django-tasks has no scheduler: run it daily from cron (`manage.py send_season_reminders`)."""
    from .reminders import send_season_reminders

    sent = send_season_reminders()
    return sent.ends + sent.starts
