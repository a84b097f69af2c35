from tissu.sharing.views import app_name, urlpatterns  # noqa: F401
