from django.urls import path

from recreg.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("papers/<int:pk>/", views.paper, name="paper"),
    path("papers/<int:pk>/download/", views.paper_download, name="paper_download"),
    path("papers/<int:pk>/again/", views.paper_retry, name="paper_retry"),
    path("templates/<slug:slug>/", views.template_edit, name="template"),
    path("pcc/", views.pcc_home, name="pcc_home"),
    path("pcc/reports/<int:inspection_pk>/respond/", views.pcc_start, name="pcc_start"),
    path("pcc/responses/<int:pk>/", views.pcc_response, name="pcc_response"),
    path("pcc/responses/<int:pk>/publish/", views.pcc_publish, name="pcc_publish"),
    path("pcc/responses/<int:pk>/word/", views.pcc_word, name="pcc_word"),
]
