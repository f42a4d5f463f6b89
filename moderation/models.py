"""Moderation: public-schema tables that span every community.

They hold (community, post_id) as plain values: public tables never point into a tenant schema.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Regency


class Submission(models.Model):
    """One version of a post sent for review, with a snapshot of exactly what the editor reviews."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        APPROVED = "approved", _("Disetujui")
        CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
        REJECTED = "rejected", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Ditarik penulis")
        SUPERSEDED = "superseded", _("Digantikan versi baru")
        CLOSED = "closed", _("Ditutup karena tulisan diturunkan")

    community = models.ForeignKey(Community, models.CASCADE, related_name="submissions")
    # Denormalised from the community so the regency's queue is one indexed range scan.
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="submissions")
    post_id = models.BigIntegerField()
    revision_number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="submissions")
    snapshot = models.JSONField()
    is_edit_of_published = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    submitted_at = models.DateTimeField(_("dikirim"))
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        verbose_name = _("kiriman")
        verbose_name_plural = _("kiriman")
        indexes = [
            models.Index(fields=["regency", "state", "submitted_at"], name="submission_queue"),
            # Oldest waiting first across many regencies (a province admin's queue) without a sort.
            models.Index(fields=["submitted_at"], condition=Q(state="pending"), name="submission_waiting"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "post_id"],
                condition=Q(state="pending"),
                name="submission_one_pending_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.get('title', '')} ({self.get_state_display()})"


class Label(models.TextChoices):
    """Why a post is a problem, as an editor labels a published post or a take-down: the categories
    Diskominfo reports its counter-hoax work in."""

    HOAX = "hoaks", _("Hoaks")
    DISINFORMATION = "disinformasi", _("Disinformasi")
    HATE = "sara", _("SARA")
    PRIVACY = "data-pribadi", _("Data pribadi")
    SPAM = "spam", _("Spam")


class ModerationEvent(models.Model):
    """Append-only audit log: every transition of a post, who made it, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Dikirim")
        RESUBMIT = "resubmit", _("Dikirim ulang")
        WITHDRAW = "withdraw", _("Ditarik penulis")
        # A decision's action is the Submission state it leads to.
        APPROVE = "approved", _("Disetujui")
        REQUEST_CHANGES = "changes_requested", _("Diminta perbaikan")
        REJECT = "rejected", _("Ditolak")
        TAKE_DOWN = "take_down", _("Diturunkan")
        AUTO_HIDE = "auto_hide", _("Disembunyikan otomatis")  # by readers' reports
        RESTORE = "restore", _("Ditayangkan kembali")
        REPORTS_CLOSED = "reports_closed", _("Laporan pembaca ditutup")
        FEATURE = "feature", _("Dijadikan pilihan redaksi")
        UNFEATURE = "unfeature", _("Dikeluarkan dari pilihan redaksi")
        LABEL = "label", _("Diberi label")

    TAKE_DOWN_ACTIONS = (Action.TAKE_DOWN, Action.AUTO_HIDE)  # by an editor, or by readers' reports

    community = models.ForeignKey(Community, models.CASCADE, related_name="+")
    post_id = models.BigIntegerField()
    submission = models.ForeignKey(Submission, models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    # The editor's label (a take-down's, or one given to a post on its own); a post's label is its
    # latest event's that has one.
    label = models.CharField(max_length=20, choices=Label.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["community", "post_id", "created_at"], name="event_post_history"),
            # The province admin's audit log: newest first across every community.
            models.Index(fields=["-created_at", "-id"], name="event_recent"),
            # The console's "taken down" tab; few rows, so a small partial index.
            models.Index(
                fields=["-created_at", "-id"], condition=Q(to_status="taken_down"), name="event_taken_down"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Report(models.Model):
    """A reader's report that a published post is a hoax, abusive, spam or exposes personal data."""

    class Reason(models.TextChoices):
        HOAX = "hoaks", _("Hoaks/informasi palsu")
        HATE = "sara", _("SARA/ujaran kebencian")
        SPAM = "spam", _("Spam/judi online")
        PRIVACY = "data-pribadi", _("Data pribadi")
        OTHER = "lainnya", _("Lainnya")

    class State(models.TextChoices):
        OPEN = "open", _("Terbuka")
        RESOLVED = "resolved", _("Selesai")

    community = models.ForeignKey(Community, models.CASCADE, related_name="+")
    regency = models.ForeignKey(Regency, models.PROTECT, related_name="+")
    post_id = models.BigIntegerField()
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("catatan"), blank=True, max_length=1000)
    # A salted hash of the reporter's address, to count distinct reporters without storing IPs.
    reporter_key = models.CharField(max_length=64)
    # A salted hash of the reporter's network (an IPv4 address or an IPv6 /64): reports from one
    # network count once towards hiding a post, whoever signed in there (a signed-in reader's
    # reporter_key is their account, so an account reports a post once from anywhere).
    network_key = models.CharField(max_length=64, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["regency", "state", "created_at"], name="report_queue"),
            models.Index(fields=["reporter_key", "created_at"], name="report_rate"),
            models.Index(fields=["network_key", "created_at"], name="report_rate_network"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "post_id", "reporter_key"], name="report_one_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.community_id}/{self.post_id})"
