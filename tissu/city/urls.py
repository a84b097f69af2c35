from django.urls import path

from tissu.city import views

app_name = "city"
urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme_css, name="theme-css"),
    path("gestion/", views.backoffice, name="backoffice"),
    path("gestion/ville/", views.settings_edit, name="settings"),
]
