from django.urls import path

from . import console_views, notice_views, registration_views, views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("kiriman/<int:submission_id>/", views.review, name="review"),
    path("kiriman/<int:submission_id>/setujui/", views.approve, name="approve"),
    path("kiriman/<int:submission_id>/minta-perbaikan/", views.request_changes, name="request_changes"),
    path("kiriman/<int:submission_id>/tolak/", views.reject, name="reject"),
    path("tayang/", views.published, name="published"),
    path("tayang/<int:entry_id>/turunkan/", views.take_down, name="take_down"),
    path("tayang/<int:entry_id>/pilihan/", views.feature, name="feature"),
    path("diturunkan/", views.taken_down, name="taken_down"),
    path("tulisan/<int:community_id>/<int:post_id>/label/", views.label, name="label"),
    path("tulisan/<int:community_id>/<int:post_id>/tayangkan-kembali/", views.restore, name="restore"),
    path("laporan/", views.reports, name="reports"),
    path("laporan/<int:community_id>/<int:post_id>/selesai/", views.reports_resolve, name="reports_resolve"),
    path(
        "laporan/<int:community_id>/<int:post_id>/turunkan/",
        views.reports_take_down,
        name="reports_take_down",
    ),
    path("log/", views.audit_log, name="audit_log"),
    path("statistik/", views.stats, name="stats"),
    path("pendaftaran/", registration_views.queue, name="registrations"),
    path("pendaftaran/<uuid:public_id>/", registration_views.review, name="registration"),
    path("pendaftaran/<uuid:public_id>/sk/", registration_views.decree, name="registration_decree"),
    path("pendaftaran/<uuid:public_id>/setujui/", registration_views.approve, name="registration_approve"),
    path(
        "pendaftaran/<uuid:public_id>/minta-perbaikan/",
        registration_views.request_changes,
        name="registration_request_changes",
    ),
    path("pendaftaran/<uuid:public_id>/tolak/", registration_views.reject, name="registration_reject"),
]

urlpatterns += [
    path("komunitas/", console_views.communities, name="console_communities"),
    path("komunitas/direktori.csv", console_views.communities_csv, name="console_communities_csv"),
    path("komunitas/<int:community_id>/arsip/", console_views.community_archive, name="console_archive"),
    path("komunitas/<int:community_id>/pindah/", console_views.community_move, name="console_move"),
    path("staf/", console_views.staff, name="console_staff"),
    path("staf/editor/", console_views.editor_appoint, name="console_editor_appoint"),
    path("staf/editor/<int:assignment_id>/hapus/", console_views.editor_remove, name="console_editor_remove"),
    path("staf/admin/", console_views.admin_appoint, name="console_admin_appoint"),
    path("staf/admin/<int:role_id>/hapus/", console_views.admin_remove, name="console_admin_remove"),
]

urlpatterns += [
    path("info/", notice_views.notices, name="notices"),
    path("info/baru/", notice_views.notice_create, name="notice_create"),
    path("info/jangkauan/", notice_views.notice_reach, name="notice_reach"),
    path("info/<int:notice_id>/", notice_views.notice_edit, name="notice"),
    path("info/<int:notice_id>/tarik/", notice_views.notice_withdraw, name="notice_withdraw"),
    path(
        "info/<int:notice_id>/tautan/<int:link_id>/lepas/",
        notice_views.clarification_unlink,
        name="clarification_unlink",
    ),
]
