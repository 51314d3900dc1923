from django.urls import path

from recreg.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("inspections/<int:inspection_pk>/upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.review, name="review"),
    path("batches/<int:pk>/discard/", views.discard, name="discard"),
    path("import/", views.bulk_import, name="bulk_import"),
    path("import/template/<str:kind>.<str:extension>", views.template, name="template"),
]
