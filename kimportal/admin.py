"""Background jobs in the Django admin, for superusers only: failed ones can be queued again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from kimportal.jobs import jobs_retry

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = (
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "error",
    )
    actions = ["retry"]

    @admin.display(description=_("percobaan"))
    def attempts(self, job: DBTaskResult) -> int:
        return len(job.worker_ids)

    @admin.display(description=_("galat terakhir"))
    def error(self, job: DBTaskResult) -> str:
        return job.exception_class_path.rsplit(".", 1)[-1]

    @admin.action(description=_("Jalankan lagi tugas yang gagal"))
    def retry(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        count = jobs_retry(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d tugas diantrekan lagi.", "%(count)d tugas diantrekan lagi.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: DBTaskResult | None = None) -> bool:
        return self.has_module_permission(request)
