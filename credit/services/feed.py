"""The one writer of the partner feed's change rows (see docs/credit.md, "Publication and
the feed"). Called inside the transaction that changes the sanction."""

from common.sequences import sequence_next

from ..models import CreditChange, FeedSequence, Listing

FEED = "feed"


def feed_next_version() -> int:
    """The next version; the counter row stays locked until the caller commits, so versions
    become visible in the order they were taken."""
    return sequence_next(FeedSequence, name=FEED)


def feed_record(*, sanction, action: str, note: str = "") -> CreditChange:
    version = feed_next_version()
    is_listing = isinstance(sanction, Listing)
    change = CreditChange.objects.create(
        version=version,
        action=action,
        listing=sanction if is_listing else None,
        restriction=None if is_listing else sanction,
        debtor_id=sanction.debtor_id,
        court_id=sanction.court_id,
        note=note[:200],
    )
    type(sanction).objects.filter(pk=sanction.pk).update(feed_version=version)
    sanction.feed_version = version
    return change
