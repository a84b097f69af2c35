from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("tissu.city.urls")),
    path("compte/", include("tissu.accounts.urls")),
    path("associations/", include("tissu.directory.urls")),
    path("agenda/", include("tissu.agenda.urls")),
    path("benevolat/", include("tissu.volunteering.urls")),
    path("partage/", include("tissu.sharing.urls")),
    path("conseil/", include("tissu.council.urls")),
    path("subventions/", include("tissu.funding.urls")),
    path("salles/", include("tissu.rooms.urls")),
    path("api/", include("tissu.api.urls")),
    path("gestion/journal/", include("tissu.audit.urls")),
    path("langue/", set_language, name="set-language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
