"""The ``roi`` scoring strategy (seed 004): the money deals brought against what the time cost.

    cost   = hours of session time × hourly rate + spend
    spend  = monthly spend × window length ÷ average month (365.2425 ÷ 12 days)
    ROI    = (revenue − cost) ÷ cost

Revenue is the value of the window's ``deal`` outcomes in the strategy's currency. Deals in
another currency are listed, not converted: smtui holds no exchange rates, and a guessed rate
would be an invented number. The hourly rate and the currency fall back to ``[app]
hourly_rate`` and ``[app] currency``; without a rate and without spend, there is no cost to
weigh and no score.
"""

from __future__ import annotations

import math
from typing import ClassVar

from smtui.api import Option, Score, ScoringStrategy, format_duration, hookimpl
from smtui.core.score_totals import TotalsStrategy, WindowTotals, amount_text, money_text
from smtui.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

AVERAGE_MONTH_S = 365.2425 / 12 * 86_400


def _non_negative(value: float | None, name: str) -> float | None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise ConfigError(f"[scoring.roi].{name} must be zero or more, not {value!r}")
    return value


class RoiStrategy(TotalsStrategy):
    name = "roi"
    title = "Return on time"
    description = (
        "Revenue from deals against the cost of the time (hours × hourly rate) and spend:"
        " (revenue − cost) ÷ cost."
    )
    uses_posts = False
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "hourly_rate",
            float,
            help="what an hour of your time is worth, in `currency` (default: [app] hourly_rate)",
        ),
        Option(
            "currency",
            str,
            help="the currency of revenue and costs (default: [app] currency, else EUR)",
        ),
        Option(
            "monthly_spend",
            float,
            default=0.0,
            help="money spent a month on social media (ads, tools, subscriptions), prorated"
            " to the window's length",
        ),
    )

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        values = self.option_values
        self.hourly_rate = _non_negative(values.get("hourly_rate"), "hourly_rate")
        self.monthly_spend = _non_negative(values.get("monthly_spend"), "monthly_spend") or 0.0
        currency = values.get("currency") or "EUR"
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            raise ConfigError(
                f"[scoring.roi].currency must be a three-letter code such as EUR, not {currency!r}"
            )
        self.currency = currency.upper()

    def score_totals(self, totals: WindowTotals) -> Score:
        currency = self.currency
        seconds = totals.seconds()
        hours = seconds / 3600
        deals, revenue_minor = totals.revenue.get(currency, (0, 0))
        revenue = revenue_minor / 100
        window_s = max(0, totals.end - totals.start)
        spend = self.monthly_spend * window_s / AVERAGE_MONTH_S
        time_cost = hours * self.hourly_rate if self.hourly_rate is not None else 0.0
        cost = time_cost + spend
        breakdown = [
            ("Revenue", f"{amount_text(revenue, currency)} from {deals} deal(s)"),
            ("Session time", format_duration(seconds)),
            (
                "Hourly rate",
                amount_text(self.hourly_rate, currency)
                if self.hourly_rate is not None
                else "not set ([app] hourly_rate or [scoring.roi] hourly_rate)",
            ),
            (
                "Time cost",
                f"{hours:.2f} h × rate = {amount_text(time_cost, currency)}"
                if self.hourly_rate is not None
                else f"{hours:.2f} h, not weighed without a rate",
            ),
            (
                "Spend",
                f"{amount_text(self.monthly_spend, currency)} a month × "
                f"{window_s / 86_400:.2f} of {AVERAGE_MONTH_S / 86_400:.2f} days"
                f" = {amount_text(spend, currency)}",
            ),
            ("Cost", amount_text(cost, currency)),
            ("Net", amount_text(revenue - cost, currency)),
            ("Formula", "(revenue − cost) ÷ cost"),
        ]
        others = [
            money_text(amount, other)
            for other, (_, amount) in sorted(totals.revenue.items())
            if other != currency
        ]
        if others:
            breakdown.append(("Not converted", ", ".join(others)))
        if cost > 0:
            value: float | None = (revenue - cost) / cost
            label = f"ROI {value:+.0%}"
        else:
            value = None
            label = (
                "set an hourly rate to weigh time"
                if self.hourly_rate is None and not self.monthly_spend
                else "no cost yet"
            )
        return Score(self.name, value, label, breakdown, unit="ratio")


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    register(RoiStrategy)
