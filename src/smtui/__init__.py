"""smtui: a terminal dashboard that tells real social media work from playtime."""

__version__ = "0.1.0"
