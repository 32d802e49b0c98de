"""The demo's story: who posts where, how often, what comes of it, and which goals it tracks.

Plain tables, kept apart from :mod:`smtui.core.demo`, which turns them into a deterministic
database. Tuning the demo (more playtime, another platform, a goal that is behind) happens here.
"""

from __future__ import annotations

DAY_S = 86_400
HOUR_S = 3_600

# --- sessions --------------------------------------------------------------------------------

PLATFORM_WEIGHTS = {"linkedin": 40, "bluesky": 19, "mastodon": 13, "x": 22, "youtube": 6}
INTENT_WEIGHTS = {
    "linkedin": {
        "prospecting": 45,
        "content": 20,
        "engagement": 20,
        "networking": 15,
        "listening": 5,
        "learning": 5,
    },
    "bluesky": {
        "engagement": 30,
        "content": 25,
        "networking": 20,
        "listening": 15,
        "prospecting": 10,
    },
    "mastodon": {
        "engagement": 30,
        "content": 25,
        "networking": 20,
        "listening": 15,
        "learning": 10,
    },
    "x": {"listening": 25, "engagement": 25, "prospecting": 20, "content": 20, "learning": 10},
    "youtube": {"learning": 70, "listening": 30},
}
# Chance that a session of this intent achieves at least one outcome; overall about two thirds.
PRODUCTIVE_CHANCE = {
    "prospecting": 0.85,
    "networking": 0.78,
    "content": 0.72,
    "engagement": 0.62,
    "listening": 0.45,
    "learning": 0.4,
}
TIMEBOX_MINUTES = (15, 20, 25, 30, 45, 60)
MIN_ACTIVE_S = 10 * 60
MAX_ACTIVE_S = 75 * 60
FIRST_START_S = (7 * 60 + 30) * 60
LAST_END_S = 21 * HOUR_S + 30 * 60
TAGS = {
    "prospecting": ("saas-founders", "agencies", "design-partners", "q3-pipeline"),
    "content": ("newsletter", "pricing-teardown", "case-study", "webinar"),
    "engagement": ("community", "saas-founders", "comments"),
    "networking": ("partners", "events", "referrals"),
    "listening": ("competitors", "ai-tools", "market"),
    "learning": ("ai-tools", "copywriting", "analytics"),
}
PRODUCTIVE_NOTES = (
    "Commented on five posts from target accounts",
    "Answered two DMs and booked a follow-up",
    "Published the post, replied to every comment in the first hour",
    "Worked through the saved-prospects list",
    "Shared a client result with the numbers",
    "Followed up on last week's conversations",
)
PLAYTIME_NOTES = (
    "Meant to reply to DMs, ended up scrolling",
    "Got pulled into a thread about the algorithm",
    "Checked notifications, nothing actionable",
    "Watched conference clips instead of drafting",
    "Read hot takes about AI for half an hour",
)

# --- outcomes --------------------------------------------------------------------------------

KIND_WEIGHTS = {
    "prospecting": {
        "prospect_identified": 40,
        "prospect_qualified": 100,
        "moved_off_social": 14,
        "lead": 7,
        "deal": 8,
        "contact_found": 9,
    },
    "networking": {
        "contact_found": 30,
        "trust_built": 20,
        "opportunity_found": 14,
        "moved_off_social": 14,
        "ally_promoted": 12,
        "prospect_qualified": 30,
        "deal": 5,
    },
    "content": {
        "expertise_shown": 45,
        "opportunity_found": 10,
        "lead": 8,
        "trust_built": 15,
        "prospect_identified": 10,
        "prospect_qualified": 30,
    },
    "engagement": {
        "trust_built": 28,
        "ally_promoted": 18,
        "expertise_shown": 18,
        "prospect_identified": 14,
        "prospect_qualified": 50,
        "moved_off_social": 10,
    },
    "listening": {
        "prospect_identified": 50,
        "contact_found": 25,
        "opportunity_found": 15,
        "prospect_qualified": 30,
    },
    "learning": {"contact_found": 60, "expertise_shown": 20, "opportunity_found": 20},
}
# How many outcomes a productive session logs (1, 2, 3 or 4): prospecting yields the most.
OUTCOME_COUNT_WEIGHTS = {"prospecting": (20, 35, 30, 15), "": (40, 35, 25, 0)}
FUNNEL_KINDS = frozenset({"prospect_qualified", "moved_off_social", "lead", "deal"})
CONTACTS = {
    "linkedin": (
        "Maria Chen",
        "Jonas Weber",
        "Priya Nair",
        "Tom Okafor",
        "Lucía Fernández",
        "Henrik Larsen",
        "Aisha Bello",
        "Marco Rossi",
        "Sophie Martin",
        "Daniel Kim",
    ),
    "bluesky": (
        "@ana.builds",
        "@kofi.dev",
        "@marta.design",
        "@lee.growth.bsky.social",
        "@ops-nina.bsky.social",
    ),
    "mastodon": (
        "@lena@hachyderm.io",
        "@pieter@mastodon.social",
        "@ruth@fosstodon.org",
        "@ines@indieweb.social",
    ),
    "x": ("@devrel_dan", "@saasgrowthjo", "@carla_ships", "@mike_b2b", "@yuki_ux"),
    "youtube": ("@buildinpublic", "@copyschool"),
}
OUTCOME_NOTES = {
    "prospect_identified": (
        "Runs a 20-person agency, posts about hiring pains",
        "Head of marketing at a Series A SaaS",
        "",
    ),
    "prospect_qualified": (
        "Budget confirmed, decision this quarter",
        "Owns the problem and the budget",
        "Asked about pricing",
    ),
    "expertise_shown": (
        "Answered a question about pricing pages",
        "Thread on onboarding emails got saved a lot",
        "",
    ),
    "contact_found": ("", "Met in the comments of a launch post"),
    "opportunity_found": ("Invited to a podcast episode", "Guest post for a newsletter", ""),
    "ally_promoted": ("Shared their launch with a comment", "Recommended their workshop"),
    "trust_built": ("Helped with a tooling question", "Gave feedback on their landing page", ""),
    "moved_off_social": ("Booked a 30 minute call", "Continued by email", ""),
    "lead": ("Asked for a proposal", "Wants a workshop for the team"),
    "deal": ("Workshop for the sales team", "Three-month retainer", "Landing page audit"),
}
DEAL_EUROS = (450, 600, 900, 1200, 1500, 1800, 2400)
# Outcomes logged without a session: (days before today, hour, kind, detail, platform,
# contact, euros, note).
SESSIONLESS = (
    (41, 16, "lead", "", None, "Henrik Larsen", None, "Referral from a client over coffee"),
    (9, 15, "deal", "", "linkedin", "Maria Chen", 1800, "Signed by email after the call"),
    (3, 11, "moved_off_social", "visit", None, "Aisha Bello", None, "Met at the coworking space"),
)

# --- posts -----------------------------------------------------------------------------------

# Per platform: chance of a post by weekday (Mon..Sun), posting hours with weights, the
# account handle, and typical impressions (None: the platform does not report them).
POST_DAYS = {
    "linkedin": (0.65, 0.9, 0.85, 0.85, 0.45, 0.03, 0.02),
    "x": (0.55, 0.6, 0.6, 0.6, 0.5, 0.15, 0.1),
    "bluesky": (0.35, 0.35, 0.45, 0.45, 0.35, 0.25, 0.2),
    "mastodon": (0.25, 0.3, 0.3, 0.3, 0.25, 0.1, 0.1),
}
POST_HOURS = {
    "linkedin": {8: 6, 9: 3, 12: 3, 17: 1, 20: 1},
    "x": {9: 2, 12: 5, 13: 3, 17: 4, 21: 1},
    "bluesky": {8: 2, 12: 2, 19: 5, 20: 4, 22: 1},
    "mastodon": {10: 5, 11: 3, 15: 2, 20: 2},
}
ACCOUNTS = {
    "linkedin": "sam-rivera",
    "x": "samrivera_io",
    "bluesky": "samrivera.bsky.social",
    "mastodon": "@samrivera@mastodon.social",
}
BASE_IMPRESSIONS = {"linkedin": 1500.0, "x": 850.0}
BASE_LIKES = {"bluesky": 22.0, "mastodon": 11.0}
ENGAGEMENT_RATE = {"linkedin": 0.034, "x": 0.014}
POST_TEXTS = (
    "What {n} discovery calls taught me about pricing pages",
    "Most onboarding emails are written for the product, not the customer. Here is the fix.",
    "A client doubled demo requests by cutting {n} fields from one form",
    "The boring content plan that filled my pipeline this quarter",
    "Stop measuring followers. Measure conversations moved off social.",
    "Case study: from {n} cold DMs to 4 workshops",
    "Three questions I ask before writing any landing page",
    "I tracked every minute I spent on social for a month. {n}% of it was playtime.",
    "Your case studies need numbers, not adjectives",
    "Launching a free teardown series: send me your pricing page",
    "How I decide which platform deserves my time this week",
    "Guest post is out: why B2B buyers ignore your homepage",
)
VIDEO_SHARE = 0.12
BASE32_SORT = "234567abcdefghijklmnopqrstuvwxyz"  # AT Protocol record keys and DIDs
TWITTER_EPOCH_MS = 1_288_834_974_657  # where X snowflake ids count from
# Snapshots are taken this long after publishing; metrics have reached this share by then.
SNAPSHOT_AGES = (
    (2 * HOUR_S, 0.4),
    (DAY_S + 2 * HOUR_S, 0.78),
    (3 * DAY_S, 0.93),
    (7 * DAY_S, 1.0),
)

# --- followers -------------------------------------------------------------------------------

# (followers at the start, mean daily gain, noise, following at the start, posts at the start)
FOLLOWERS = {
    "linkedin": (2380, 3.4, 2.5, 610, 212),
    "x": (1140, 1.6, 3.0, 430, 1890),
    "bluesky": (640, 2.6, 2.0, 290, 340),
    "mastodon": (355, 0.9, 1.2, 180, 410),
}
SNAPSHOT_HOUR = 6

# --- goals -----------------------------------------------------------------------------------

# (name, measure, subject, direction, target, period, platform)
GOALS: tuple[tuple[str, str, str, str, float, str, str | None], ...] = (
    ("5 qualified prospects a week", "outcomes", "prospect_qualified", "at_least", 5, "week", None),
    ("Scroll budget: at most 6 h a week", "time_total", "", "at_most", 21_600, "week", None),
    (
        "20 conversations moved off social a month",
        "outcomes",
        "moved_off_social",
        "at_least",
        20,
        "month",
        None,
    ),
    ("Revenue 3000 EUR a month", "revenue", "EUR", "at_least", 3000, "month", None),
    ("2% engagement on LinkedIn", "engagement_rate", "", "at_least", 0.02, "month", "linkedin"),
    ("Post on LinkedIn 3 times a week", "posts", "", "at_least", 3, "week", "linkedin"),
    ("Playtime under 2 h a week", "playtime", "", "at_most", 7_200, "week", None),
    (
        "15 h of productive social work a month",
        "productive_time",
        "",
        "at_least",
        54_000,
        "month",
        None,
    ),
    ("200 new followers a month", "followers_gained", "", "at_least", 200, "month", None),
    (
        "10k LinkedIn impressions a month",
        "post_metric",
        "impressions",
        "at_least",
        10_000,
        "month",
        "linkedin",
    ),
)
