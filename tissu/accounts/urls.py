from django.urls import path

from tissu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.sign_up, name="sign-up"),
    path("inscription/envoyee/", views.sign_up_done, name="sign-up-done"),
    path("confirmer/<uidb64>/<token>/", views.verify_email, name="verify-email"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.log_out, name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password-reset"),
    path("mot-de-passe/oubli/envoye/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("mot-de-passe/nouveau/fait/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password-change"),
    path("", views.dashboard, name="dashboard"),
    path("adresse/", views.email_change, name="email-change"),
    path("adresse/confirmer/<token>/", views.email_change_confirm, name="email-change-confirm"),
    path("suppression/", views.account_delete, name="delete"),
    path("mes-donnees.json", views.data_export, name="data-export"),
    path("personnes/", views.people_list, name="people"),
    path("personnes/<uuid:public_id>/roles/", views.person_roles, name="person-roles"),
]
