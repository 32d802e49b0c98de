"""Data sources: turning platform exports and APIs into posts, snapshots and outcomes."""
