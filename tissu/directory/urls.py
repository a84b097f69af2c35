"""The directory's URLs, one list per feature module (each views_*.py declares its own urlpatterns)."""

from tissu.directory import (
    views_claims,
    views_imports,
    views_manage,
    views_opendata,
    views_profile,
    views_search,
    views_staff,
)

app_name = "directory"
urlpatterns = [
    *views_search.urlpatterns,
    *views_opendata.urlpatterns,
    *views_claims.urlpatterns,
    *views_manage.urlpatterns,
    *views_staff.urlpatterns,
    *views_imports.urlpatterns,
    # Last: the profile's /associations/<slug>/ must not shadow the fixed paths above.
    *views_profile.urlpatterns,
]
