from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import LoginForm
from .views import LoginView, LogoutView, PasswordResetView

app_name = "accounts"

urlpatterns = [
    path("masuk/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("keluar/", LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/ubah/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path(
        "kata-sandi/ubah/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "kata-sandi/lupa/",
        PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("kata-sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
