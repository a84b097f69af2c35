from tissu.funding import views, views_agreements, views_committee, views_staff

app_name = "funding"
urlpatterns = [
    *views.urlpatterns,
    *views_staff.urlpatterns,
    *views_committee.urlpatterns,
    *views_agreements.urlpatterns,
]
