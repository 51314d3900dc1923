from django.urls import path

from recreg.progress import views

app_name = "progress"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
    path("responses/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("responses/<int:pk>/updates/new/", views.post_update, name="post_update"),
    path("responses/<int:pk>/evidence/new/", views.attach_evidence, name="attach_evidence"),
    path("responses/<int:pk>/target-date/", views.change_target_date, name="target_date"),
    path("responses/<int:pk>/closure/", views.propose_closure, name="propose_closure"),
    path("responses/<int:pk>/challenge/", views.raise_challenge, name="challenge"),
    path("responses/<int:pk>/discharge/", views.discharge, name="discharge"),
    path("closures/<int:pk>/decide/", views.decide_closure, name="decide_closure"),
    path("challenges/<int:pk>/decide/", views.decide_challenge, name="decide_challenge"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("forces/<slug:slug>/", views.force_overview, name="force_overview"),
    path("forces/<slug:slug>/boards/", views.boards, name="boards"),
    path("forces/<slug:slug>/reassign/", views.reassign, name="reassign"),
]
