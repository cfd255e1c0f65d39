"""The Mingzhang model: organisations, funds, grants, relief, pairings, all as event-sourced aggregates.

Nothing here knows about HTTP, pydantic or SQL; the only infrastructure it touches is the eventsourcing
library that records its events.
"""
