"""Admin of the credit app; each part registers its own models."""

from .feed import admin as feed_admin  # noqa: F401
