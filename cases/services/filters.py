"""Saved list filters (常用筛选): a user's own, nobody else's."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from audit.services import audit_change, snapshot
from cases.models import SavedFilter


@transaction.atomic
def saved_filter_update(*, user, pk: int, name: str, query: str) -> SavedFilter:
    """Rename or change one of the user's own saved filters (another user's answers 404)."""
    saved = SavedFilter.objects.select_for_update().filter(user=user, pk=pk).first()
    if saved is None:
        raise Http404
    name = (name or "").strip()[:60]
    if not name:
        raise ValidationError({"name": [_("请为筛选条件命名。")]})
    before = snapshot(saved)
    saved.name = name
    saved.query = (query or "")[:1000]
    try:
        with transaction.atomic():
            saved.save(update_fields=["name", "query"])
    except IntegrityError as exc:
        raise ValidationError({"name": [_("已有同名的常用筛选。")]}) from exc
    audit_change(saved, actor=user, before=before)
    return saved
