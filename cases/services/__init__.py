"""Writes of the cases app. Import services from here: `from cases.services import dispute_register`."""

from .intake import attachment_add, dispute_register, dispute_search_tokens, party_find_or_create

__all__ = ["attachment_add", "dispute_register", "dispute_search_tokens", "party_find_or_create"]
