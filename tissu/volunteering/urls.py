from django.urls import path

from tissu.volunteering import views

app_name = "volunteering"
urlpatterns = [
    path("", views.mission_list, name="mission-list"),
    path("carte/", views.mission_map, name="mission-map"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("missions/<int:pk>/candidater/", views.mission_apply, name="mission-apply"),
    path("missions/<int:pk>/modifier/", views.mission_edit, name="mission-edit"),
    path("missions/<int:pk>/etat/", views.mission_action, name="mission-action"),
    path("missions/<int:pk>/candidatures/", views.mission_applications, name="mission-applications"),
    path("missions/<int:pk>/inviter/", views.invitation_send, name="invitation-send"),
    path("invitations/<int:pk>/refuser/", views.invitation_decline, name="invitation-decline"),
    path("missions/<int:pk>/moderation/", views.mission_review, name="mission-review"),
    path("associations/<slug:slug>/", views.association_missions, name="association-missions"),
    path("associations/<slug:slug>/nouvelle/", views.mission_create, name="mission-create"),
    path("candidatures/", views.my_applications, name="my-applications"),
    path("candidatures/<int:pk>/", views.application_detail, name="application-detail"),
    path("candidatures/<int:pk>/action/", views.application_action, name="application-action"),
    path("candidatures/<int:pk>/message/", views.application_message, name="application-message"),
    path("candidatures/<int:pk>/heures/", views.hours_declare, name="hours-declare"),
    path("candidatures/<int:pk>/heures/<int:hours_pk>/", views.hours_decide, name="hours-decide"),
    path("candidatures/<int:pk>/attestation/", views.certificate, name="certificate"),
    path("candidatures/<int:pk>/attestation.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("attestations/verifier/", views.certificate_verify, name="certificate-verify"),
    path("mon-profil/", views.volunteer_profile, name="volunteer-profile"),
    path("recherches/", views.saved_search_list, name="saved-search-list"),
    path("recherches/<int:pk>/supprimer/", views.saved_search_delete, name="saved-search-delete"),
    path("pour-moi/", views.recommended, name="recommended"),
    path("gestion/competences/", views.skill_list, name="skill-list"),
    path("gestion/competences/<int:pk>/", views.skill_edit, name="skill-edit"),
    path("gestion/competences/<int:pk>/supprimer/", views.skill_delete, name="skill-delete"),
    path("gestion/moderation/", views.review_queue, name="review-queue"),
    path("gestion/chiffres/", views.figures, name="figures"),
]
