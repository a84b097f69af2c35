from tissu.agenda import views

app_name = "agenda"
urlpatterns = views.urlpatterns
