"""The `disclosure` view: what the public page shows. `view` holds its tables and the handlers that
write them from events; `reader` the queries that read them, answering the typed rows of `rows`
(shared by the JSON routes, the public pages and `/audit/disclosure` over an as-of copy)."""

from projections.disclosure.view import DisclosureView

__all__ = ["DisclosureView"]
