"""The `disclosure` view: what the public page shows. `view` holds its tables and the handlers that
write them from events."""

from projections.disclosure.view import DisclosureView

__all__ = ["DisclosureView"]
