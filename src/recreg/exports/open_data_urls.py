from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from recreg.exports import open_data_views
from recreg.exports.feeds import PublicRegisterFeed

app_name = "open_data"
urlpatterns = [
    path("findings.csv", open_data_views.findings_csv, name="findings_csv"),
    path("findings.json", open_data_views.findings_json, name="findings_json"),
    path(
        "feed.atom",
        cache_control(public=True, max_age=900)(require_GET(PublicRegisterFeed())),
        name="feed",
    ),
]
