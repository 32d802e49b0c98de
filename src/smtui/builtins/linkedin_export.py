"""LinkedIn analytics exports as built-in sources: ``linkedin_content``, ``linkedin_followers``,
``linkedin_visitors`` and ``linkedin_creator``.

Each is recognised from the file's content: an Excel workbook (OLE ``.xls`` or zipped
``.xlsx``, never judged by extension) with the sheets that export has (FORMATS.md section 11).
What the sheets hold and how they become posts and account snapshots lives in
:mod:`smtui.sources.linkedin_exports`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from smtui.api import DataSource, InputError, Option, hookimpl
from smtui.sources import linkedin_exports as linkedin
from smtui.sources.workbook import has_sheets, sheet_names

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from smtui.sources.records import Record

_ACCOUNT = Option(
    "account",
    str,
    default="",
    help="the Page (or your name) to file the numbers under; default: from LinkedIn's file name",
)


class _LinkedInWorkbook(DataSource):
    """What the LinkedIn workbooks share: detection by sheet names, and the account option."""

    platform = linkedin.PLATFORM
    options = (_ACCOUNT,)
    sheets: ClassVar[tuple[str, ...]] = ()
    # Sheets whose presence means another LinkedIn export, for the rare file holding both.
    not_sheets: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes, path: str) -> bool:
        names = sheet_names(head, path)
        return has_sheets(names, self.sheets) and not any(
            has_sheets(names, (sheet,)) for sheet in self.not_sheets
        )

    def read(self, path: str) -> Iterator[Record | InputError]:
        account = str(self.option_values.get("account") or "").strip() or None
        return self.read_workbook(path, account)

    def read_workbook(self, path: str, account: str | None) -> Iterator[Record | InputError]:
        raise NotImplementedError


class LinkedInContentSource(_LinkedInWorkbook):
    """A Page's content export: daily metrics (``Metrics``) and its posts (``All posts``)."""

    name = "linkedin_content"
    title = "LinkedIn Page content export (.xls/.xlsx)"
    sheets = linkedin.CONTENT_SHEETS

    def read_workbook(self, path: str, account: str | None) -> Iterator[Record | InputError]:
        return linkedin.read_content(path, account)


class LinkedInFollowersSource(_LinkedInWorkbook):
    """A Page's followers export: new followers per day and follower demographics."""

    name = "linkedin_followers"
    title = "LinkedIn Page followers export (.xls/.xlsx)"
    sheets = linkedin.FOLLOWERS_SHEETS
    not_sheets = linkedin.VISITORS_SHEETS

    def read_workbook(self, path: str, account: str | None) -> Iterator[Record | InputError]:
        return linkedin.read_followers(path, account)


class LinkedInVisitorsSource(_LinkedInWorkbook):
    """A Page's visitors export: page views and unique visitors per day, demographics."""

    name = "linkedin_visitors"
    title = "LinkedIn Page visitors export (.xls/.xlsx)"
    sheets = linkedin.VISITORS_SHEETS
    not_sheets = ("New followers",)

    def read_workbook(self, path: str, account: str | None) -> Iterator[Record | InputError]:
        return linkedin.read_visitors(path, account)


class LinkedInCreatorSource(_LinkedInWorkbook):
    """A member's own analytics export (``Content_…``/``AggregateAnalytics_…xlsx``)."""

    name = "linkedin_creator"
    title = "LinkedIn creator analytics export (.xlsx)"
    sheets = linkedin.CREATOR_SHEETS

    def read_workbook(self, path: str, account: str | None) -> Iterator[Record | InputError]:
        return linkedin.read_creator(path, account)


SOURCES: tuple[type[DataSource], ...] = (
    LinkedInContentSource,
    LinkedInFollowersSource,
    LinkedInVisitorsSource,
    LinkedInCreatorSource,
)


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the LinkedIn export formats to every configuration."""
    for source in SOURCES:
        register(source)
