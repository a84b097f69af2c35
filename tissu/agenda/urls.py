from tissu.agenda import views, views_feeds

app_name = "agenda"
# The fixed paths of the feeds first: the event pages' /agenda/<slug>/… must not shadow them.
urlpatterns = [*views_feeds.urlpatterns, *views.urlpatterns]
