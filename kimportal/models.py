from django.db import models


class ScheduledJob(models.Model):
    """When a recurring job (settings.JOB_SCHEDULES) is next due; the row lock lets one worker fire it."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
