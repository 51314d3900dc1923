from django.urls import path

from recreg.oversight import views
from recreg.oversight.views import grades, monitoring, returns, risk

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    # Grades
    path("grades/", grades.frameworks, name="grades"),
    path("grades/import/", grades.import_page, name="grade_import"),
    path("grades/<slug:framework_slug>/", grades.matrix, name="grade_matrix"),
    path(
        "grades/<slug:framework_slug>/<slug:force_slug>/edit/",
        grades.entry,
        name="grade_entry",
    ),
    path("forces/<slug:slug>/grades/", grades.history, name="grade_history"),
    # Monitoring
    path("monitoring/", monitoring.rounds, name="monitoring"),
    path("monitoring/engage/", monitoring.engage, name="engage"),
    path("monitoring/rounds/new/", monitoring.round_create, name="round_create"),
    path("monitoring/rounds/<int:pk>/", monitoring.round_detail, name="round_detail"),
    path(
        "monitoring/rounds/<int:pk>/forces/<slug:slug>/decide/",
        monitoring.decision_create,
        name="decision_create",
    ),
    path("monitoring/decisions/<int:pk>/", monitoring.decision_detail, name="decision_detail"),
    path("monitoring/decisions/<int:pk>/edit/", monitoring.decision_edit, name="decision_edit"),
    path("forces/<slug:slug>/monitoring/", monitoring.force_history, name="force_monitoring"),
    # Data returns and liaison notes
    path("returns/", returns.index, name="returns"),
    path("returns/templates/new/", returns.template_create, name="template_create"),
    path("returns/templates/<int:pk>/", returns.template_detail, name="template_detail"),
    path("returns/templates/<int:pk>/revise/", returns.template_revise, name="template_revise"),
    path("returns/windows/new/", returns.window_create, name="window_create"),
    path("returns/windows/<int:pk>/", returns.window_detail, name="window_detail"),
    path("returns/windows/<int:pk>/forces/<slug:slug>/", returns.return_edit, name="return_edit"),
    path("forces/<slug:slug>/returns/", returns.force_returns, name="force_returns"),
    path("forces/<slug:slug>/notes/", returns.force_notes, name="force_notes"),
    path("forces/<slug:slug>/notes/new/", returns.note_create, name="note_create"),
    # The risk model and planning
    path("risk/", risk.risk_index, name="risk_index"),
    path("risk/configuration/", risk.risk_config, name="risk_config"),
    path("risk/configuration/edit/", risk.risk_config_edit, name="risk_config_edit"),
    path("risk/<slug:framework_slug>/<slug:force_slug>/", risk.risk_detail, name="risk"),
    path("planning/", risk.plans, name="plans"),
    path("planning/new/", risk.plan_start, name="plan_start"),
    path(
        "planning/new/<int:tranche_pk>/<slug:framework_slug>/",
        risk.plan_create,
        name="plan_create",
    ),
    path("planning/<int:pk>/", risk.plan_detail, name="plan_detail"),
]
