"""Reads of import batches (scoped to the user's organisations)."""

from cases.models import ImportBatch
from organisations.selectors import get_for_user_or_404, scope_queryset


def import_batch_list_for_user(user):
    """Batches of organisations the user may see, newest first."""
    return scope_queryset(
        ImportBatch.objects.select_related("organisation", "created_by"), user
    ).order_by("-created_at", "-pk")


def import_batch_get_for_user(user, pk) -> ImportBatch:
    """One batch, or 404 when it is missing or outside the user's scope."""
    return get_for_user_or_404(
        ImportBatch.objects.select_related("organisation", "created_by", "duplicate_of"),
        user,
        pk=pk,
    )
