"""YouTube Studio exports as built-in sources: ``youtube_table``, ``youtube_chart``,
``youtube_totals`` and ``youtube_zip``.

Each is recognised from the file's content (FORMATS.md section 11): the header's dimension and
metric columns, the ``Total`` row of a table, for the zip the Studio files inside it. How the
columns become posts and account snapshots lives in :mod:`smtui.sources.youtube_exports`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from smtui.api import DataSource, InputError, Option, hookimpl
from smtui.options import zone_option
from smtui.sources import youtube_exports as youtube
from smtui.sources.workbook import ZIP_SIGNATURE, is_xlsx_zip

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from smtui.sources.records import Record

_ACCOUNT = Option(
    "account",
    str,
    default="",
    help="the channel to file the numbers under; default: from Studio's export name, if any",
)
_TIMEZONE = Option(
    "timezone",
    str,
    default="UTC",
    help="time zone of Studio's days (the files do not say; each day is dated at its midnight)",
)


class _Studio(DataSource):
    """What every Studio source shares: its options, read once."""

    platform = youtube.PLATFORM
    options = (_ACCOUNT, _TIMEZONE)

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        self.account = str(self.option_values.get("account") or "").strip() or None
        zone_name = self.option_values.get("timezone") or "UTC"
        self.zone = zone_option(zone_name, f"sources.{self.alias}")


class _StudioCsv(_Studio):
    """One of Studio's three CSV files, told apart by :func:`youtube_exports.classify`."""

    kind: ClassVar[str]

    def sniff(self, head: bytes, path: str) -> bool:
        return youtube.sniff_kind(head) == self.kind

    def read(self, path: str) -> Iterator[Record | InputError]:
        return youtube.read_file(path, self.kind, self.account, self.zone)


class YouTubeTableSource(_StudioCsv):
    """``Table data.csv``: by video (posts) or by any other dimension (one snapshot)."""

    name = "youtube_table"
    title = "YouTube Studio Table data.csv"
    kind = youtube.TABLE


class YouTubeChartSource(_StudioCsv):
    """``Chart data.csv``: values per day and item."""

    name = "youtube_chart"
    title = "YouTube Studio Chart data.csv"
    kind = youtube.CHART


class YouTubeTotalsSource(_StudioCsv):
    """``Totals.csv``: the channel's values per day."""

    name = "youtube_totals"
    title = "YouTube Studio Totals.csv"
    kind = youtube.TOTALS


class YouTubeZipSource(_Studio):
    """The zip Studio's export arrives in, read as it is, member by member."""

    name = "youtube_zip"
    title = "YouTube Studio export zip (Table data, Chart data, Totals)"

    def sniff(self, head: bytes, path: str) -> bool:
        if not head.startswith(ZIP_SIGNATURE) or is_xlsx_zip(path):
            return False
        return youtube.zip_kinds(path) is not None

    def read(self, path: str) -> Iterator[Record | InputError]:
        return youtube.read_zip(path, self.account, self.zone)


SOURCES: tuple[type[DataSource], ...] = (
    YouTubeTableSource,
    YouTubeChartSource,
    YouTubeTotalsSource,
    YouTubeZipSource,
)


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the YouTube Studio export formats to every configuration."""
    for source in SOURCES:
        register(source)
