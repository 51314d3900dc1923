from django.urls import path

from recreg.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.force_list, name="force_list"),
    path("<slug:slug>/", views.force_detail, name="force_detail"),
]
