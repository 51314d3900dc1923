"""The Atom feed of the public register (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from recreg.exports.open_data import FeedItem, feed_items


class PublicRegisterFeed(Feed):
    """Newly published findings and changes in each force's public state, newest first."""

    feed_type = Atom1Feed
    title = "Public register of police inspection findings: what is new"
    subtitle = (
        "Findings published by the police inspectorate and each force's progress as the "
        "public register shows it."
    )
    author_name = "Recommendations Register"

    def link(self) -> str:
        return reverse("findings:list")

    def feed_url(self) -> str:
        return reverse("open_data:feed")

    def items(self) -> list[FeedItem]:
        return feed_items()

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        return self._absolute(f"{item.link}#{item.guid}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedItem):
        return item.updated

    def item_updateddate(self, item: FeedItem):
        return item.updated

    def item_categories(self, item: FeedItem) -> list[str]:
        return [item.category]

    def get_feed(self, obj, request):
        self._request = request
        return super().get_feed(obj, request)

    def _absolute(self, path: str) -> str:
        return self._request.build_absolute_uri(path)
