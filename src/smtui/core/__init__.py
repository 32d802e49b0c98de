"""The domain: sessions, outcomes, goals, scoring and reports. Never imports Textual."""
