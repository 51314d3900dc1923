from django.urls import include, path

from recreg.api.api import api

urlpatterns = [
    path("", include("recreg.core.urls")),
    path("accounts/", include("recreg.accounts.urls")),
    path("findings/", include("recreg.findings.urls")),
    path("inspections/", include("recreg.inspections.urls")),
    path("forces/", include("recreg.organisations.urls")),
    path("progress/", include("recreg.progress.urls")),
    path("oversight/", include("recreg.oversight.urls")),
    path("intake/", include("recreg.intake.urls")),
    path("exports/", include("recreg.exports.urls")),
    path("open-data/", include("recreg.exports.open_data_urls")),
    path("dashboards/", include("recreg.dashboards.urls")),
    path("reports/", include("recreg.reports.urls")),
    path("api/v1/", api.urls),
]

handler400 = "recreg.core.errors.bad_request"
handler403 = "recreg.core.errors.permission_denied"
handler404 = "recreg.core.errors.page_not_found"
handler500 = "recreg.core.errors.server_error"
