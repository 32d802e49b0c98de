"""Meta Business Suite exports: Facebook and Instagram posts, page-level series, audience.

* ``facebook_posts``: Content → Export of a Facebook Page (``"Post ID","Page ID",...``).
* ``instagram_posts``: the same export for Instagram (``"Post ID","Account ID",...``); one
  file may hold several accounts, so the account is read per row.
* ``meta_daily``: Insights → Export of one page-level series (``Follows.csv``, ``Views.csv``):
  one account snapshot per day with the value in ``extra``.
* ``meta_audience``: ``Audience.csv`` (age and gender, top countries and cities): one account
  snapshot with the shares as fractions.
* ``instagram_insights``: the past insights JSON files of Accounts Center's "Download your
  information" (``posts.json``, ``profiles_reached.json``...), alone or in the download's zip.

All five are recognised from their content (FORMATS.md section 11) and need no configuration.
A ``[sources.<alias>]`` table can set the time zone of post publish times, or say that a
page-level export belongs to an Instagram account (the files do not say which platform).
"""

from __future__ import annotations

from smtui.hookspecs import hookimpl
from smtui.options import Option, zone_option
from smtui.sources import instagram_insights
from smtui.sources.base import DataSource
from smtui.sources.meta_exports import (
    FACEBOOK_POSTS,
    INSTAGRAM_POSTS,
    META_TIMEZONE,
    PostExport,
    read_posts,
    sniff_posts,
)
from smtui.sources.meta_series import daily_layout, is_audience, read_audience, read_daily_series

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from smtui.sources.errors import InputError
    from smtui.sources.records import Record

_TIMEZONE = Option(
    "timezone",
    str,
    default=META_TIMEZONE,
    help="time zone of the Publish time column (Meta writes none; Pacific time is assumed)",
)


class _MetaPostSource(DataSource):
    """A Meta post export: the format is in :attr:`export`, the reading in meta_exports."""

    export: PostExport
    options = (_TIMEZONE,)

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        self.zone = zone_option(
            self.option_values.get("timezone") or META_TIMEZONE, f"sources.{self.alias}"
        )

    def sniff(self, head: bytes, path: str) -> bool:
        return sniff_posts(head, self.export)

    def read(self, path: str) -> Iterator[Record | InputError]:
        return read_posts(path, self.export, self.zone)


class FacebookPostsSource(_MetaPostSource):
    """Facebook Page posts with lifetime totals, from Meta Business Suite."""

    name = "facebook_posts"
    title = "Meta Business Suite Facebook posts"
    platform = "facebook"
    export = FACEBOOK_POSTS


class InstagramPostsSource(_MetaPostSource):
    """Instagram posts (of one or several accounts) with lifetime totals."""

    name = "instagram_posts"
    title = "Meta Business Suite Instagram posts"
    platform = "instagram"
    export = INSTAGRAM_POSTS


class _MetaPageSource(DataSource):
    """A page-level Meta export: the file does not say whose it is, so options may."""

    platform = "facebook"
    options = (
        Option(
            "platform",
            str,
            default="facebook",
            choices=("facebook", "instagram"),
            help="whose export it is (the file does not say)",
        ),
        Option("account", str, default="", help="the page or account it belongs to"),
    )

    @property
    def owner(self) -> tuple[str, str]:
        """``(platform, account)`` the snapshots are stored under."""
        values = self.option_values
        return values.get("platform") or "facebook", values.get("account") or ""


class MetaDailySource(_MetaPageSource):
    """One page-level daily series (``Follows``, ``Views``, ``Reach``...) as account snapshots."""

    name = "meta_daily"
    title = "Meta Business Suite daily series"

    def sniff(self, head: bytes, path: str) -> bool:
        return daily_layout(head) is not None

    def read(self, path: str) -> Iterator[Record | InputError]:
        return read_daily_series(path, *self.owner)


class MetaAudienceSource(_MetaPageSource):
    """``Audience.csv``: age and gender, top countries and cities, as fractions in a snapshot."""

    name = "meta_audience"
    title = "Meta Business Suite audience"

    def sniff(self, head: bytes, path: str) -> bool:
        return is_audience(head)

    def read(self, path: str) -> Iterator[Record | InputError]:
        return read_audience(path, *self.owner)


class InstagramInsightsSource(DataSource):
    """Instagram's past insights from "Download your information": posts with their lifetime
    metrics, and the account-level insights as a snapshot (the files do not name the
    account, so the ``account`` option may)."""

    name = "instagram_insights"
    title = 'Instagram "Download your information" insights (JSON)'
    platform = "instagram"
    options = (Option("account", str, default="", help="the Instagram account it belongs to"),)

    def sniff(self, head: bytes, path: str) -> bool:
        return instagram_insights.sniff(head, path)

    def read(self, path: str) -> Iterator[Record | InputError]:
        account = str(self.option_values.get("account") or "").strip().lstrip("@")
        return instagram_insights.read_file(path, account)


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the Meta Business Suite and Accounts Center formats, detected from their content."""
    register(FacebookPostsSource)
    register(InstagramPostsSource)
    register(MetaDailySource)
    register(MetaAudienceSource)
    register(InstagramInsightsSource)
