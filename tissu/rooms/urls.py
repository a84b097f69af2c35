from tissu.rooms import views, views_campaigns

app_name = "rooms"
urlpatterns = [*views.urlpatterns, *views_campaigns.urlpatterns]
