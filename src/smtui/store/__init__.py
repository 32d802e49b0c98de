"""The SQLite store: connection set-up, schema migrations and transactions."""
