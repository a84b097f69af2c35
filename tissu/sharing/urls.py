from tissu.sharing import views, views_experts, views_listings

app_name = "sharing"
urlpatterns = [*views.urlpatterns, *views_listings.urlpatterns, *views_experts.urlpatterns]
