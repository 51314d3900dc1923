from django.urls import path

from recreg.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.national, name="national"),
    path("forces/<slug:slug>/", views.force, name="force"),
]
