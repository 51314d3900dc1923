from django.urls import path

from recreg.findings import views

app_name = "findings"
urlpatterns = [
    path("", views.register, name="list"),
    path("new/<int:inspection_pk>/", views.finding_create, name="create"),
    path("<int:pk>/", views.finding_detail, name="detail"),
    path("<int:pk>/edit/", views.finding_edit, name="edit"),
    path("<int:pk>/delete/", views.finding_delete, name="delete"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
]
