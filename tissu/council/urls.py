from tissu.council import views, views_meetings

app_name = "council"
urlpatterns = [*views.urlpatterns, *views_meetings.urlpatterns]
