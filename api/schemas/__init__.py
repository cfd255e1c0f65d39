"""Request and response models, in families by who uses them: commands (staff and admin), public
disclosure, audit and personal data. Only `api/` knows pydantic; routes turn these into plain values."""
