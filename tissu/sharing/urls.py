from tissu.sharing import views, views_listings

app_name = "sharing"
urlpatterns = [*views.urlpatterns, *views_listings.urlpatterns]
