"""Reads of the credit app. Scope: a record belongs to its court; the court's staff and
a higher court's supervisors see it (enforcement.selectors.courts_visible_to). A listing
or restriction is also seen by its case's court now (the 执行法院, which acts on it once the
case has been moved: `Sanction.enforcing_court`), while the court that decided it keeps
read-only sight of its decision, as it keeps read access to the case it moved away.
Another court sees only what the public sees (published entries, their public facts);
anything else answers 404 by page and API alike."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Party
from enforcement.case_data import may_hold
from enforcement.models import CaseTransfer
from enforcement.selectors import courts_visible_to

from .models import (
    PUBLIC_STATES,
    AbilityFinding,
    Certificate,
    CorrectionRequest,
    CreditReview,
    Listing,
    OneTimeLifting,
    Removal,
    Restoration,
    Restriction,
)

SANCTION_RELATED = ("case", "case__court", "court", "case_party", "decision_document")


def _scoped(queryset: QuerySet, user, field: str = "court") -> QuerySet:
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{field}__in": courts_visible_to(user).values("pk")})


def moved_in_cases(courts) -> QuerySet:
    """Ids of the cases moved to one of `courts` (a queryset of court pks) and held there
    now. An entry's court is its case's court until the case is moved, so these are the
    only cases whose entries those courts hold without having decided them — read from
    the few transfer rows rather than by joining every entry to its case."""
    return CaseTransfer.objects.filter(to_court__in=courts, case__court__in=courts).values(
        "case_id"
    )


def sanctions_condition(courts) -> Q:
    """Q over Listing/Restriction: entries decided by `courts` (read: the record of what
    they decided) or whose case they hold now (read and act: `Sanction.enforcing_court`)."""
    return Q(court__in=courts) | Q(case_id__in=moved_in_cases(courts))


def _sanctions_scoped(queryset: QuerySet, user) -> QuerySet:
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(sanctions_condition(courts_visible_to(user).values("pk")))


def listings_for_user(user) -> QuerySet[Listing]:
    return _sanctions_scoped(Listing.objects.select_related(*SANCTION_RELATED), user)


def restrictions_for_user(user) -> QuerySet[Restriction]:
    return _sanctions_scoped(
        Restriction.objects.select_related(*SANCTION_RELATED, "approver", "requested_by"), user
    )


def removals_for_user(user) -> QuerySet[Removal]:
    return _scoped(
        Removal.objects.select_related(
            "case", "court", "listing", "restriction", "owner", "approver"
        ),
        user,
    )


def restorations_for_user(user) -> QuerySet[Restoration]:
    return _scoped(Restoration.objects.select_related("case", "court", "debtor"), user)


def corrections_for_user(user) -> QuerySet[CorrectionRequest]:
    return _scoped(
        CorrectionRequest.objects.select_related(
            "court", "listing", "restriction", "listing__case", "restriction__case"
        ),
        user,
    )


def reviews_for_user(user) -> QuerySet[CreditReview]:
    """A review is seen by the court above (which decides it) and by the court below."""
    if not user or not user.is_authenticated:
        return CreditReview.objects.none()
    queryset = CreditReview.objects.select_related("correction", "court")
    if user.is_superuser:
        return queryset
    courts = courts_visible_to(user).values("pk")
    return queryset.filter(Q(court__in=courts) | Q(correction__court__in=courts))


def liftings_for_user(user) -> QuerySet[OneTimeLifting]:
    return _scoped(OneTimeLifting.objects.select_related("restriction", "approver"), user)


def certificates_for_user(user) -> QuerySet[Certificate]:
    return _scoped(Certificate.objects.select_related("court", "case", "document"), user)


def findings_for_user(user) -> QuerySet[AbilityFinding]:
    return _scoped(AbilityFinding.objects.select_related("case", "case_party", "found_by"), user)


class HeldCourts:
    """The courts whose credit records `user` may open — what `_scoped` lets through —
    asked once, and only if a page has a record of a court not already `known` to be the
    user's. A page shows another court's record without a link (credit_tags.held_elsewhere):
    after a case is moved, its open removals and corrections, a pending restriction order
    and a pending lifting are the receiving court's, and 404 for the original court."""

    def __init__(self, user, known=()):
        self.user = user
        self.known = {pk for pk in known if pk is not None}
        self._pks: set | None = None

    def __eq__(self, other) -> bool:  # the same answer for the same user and courts known
        return (
            isinstance(other, HeldCourts)
            and self.user.pk == other.user.pk
            and self.known == other.known
        )

    __hash__ = None

    def __contains__(self, court_id) -> bool:
        if self.user.is_superuser or court_id in self.known:
            return True
        if self._pks is None:
            self._pks = set(courts_visible_to(self.user).values_list("pk", flat=True))
        return court_id in self._pks


def held_courts(user, known=()) -> HeldCourts:
    return HeldCourts(user, known)


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def listing_get_for_user(user, pk) -> Listing:
    return _get(listings_for_user(user), pk)


def restriction_get_for_user(user, pk) -> Restriction:
    return _get(restrictions_for_user(user), pk)


def removal_get_for_user(user, pk) -> Removal:
    return _get(removals_for_user(user), pk)


def restoration_get_for_user(user, pk) -> Restoration:
    return _get(restorations_for_user(user), pk)


def correction_get_for_user(user, pk) -> CorrectionRequest:
    """The correction, seen by its court's staff and by the court deciding its review."""
    if user and user.is_authenticated and not user.is_superuser:
        courts = courts_visible_to(user).values("pk")
        queryset = CorrectionRequest.objects.filter(
            Q(court__in=courts) | Q(reviews__court__in=courts)
        ).distinct()
        return _get(queryset, pk)
    return _get(corrections_for_user(user), pk)


def review_get_for_user(user, pk) -> CreditReview:
    return _get(reviews_for_user(user), pk)


def lifting_get_for_user(user, pk) -> OneTimeLifting:
    return _get(liftings_for_user(user), pk)


def certificate_get_for_user(user, pk) -> Certificate:
    return _get(certificates_for_user(user), pk)


# --- a debtor's credit record ------------------------------------------------------------


@dataclass
class DebtorRecord:
    party: Party
    listings: list  # in the user's scope: everything
    restrictions: list
    findings: list
    removals: list
    certificates: list
    public_listings: list  # other courts': only what is published
    public_restrictions: list


def debtor_record(user, party_pk) -> DebtorRecord:
    """A debtor's credit record across all cases: full detail where the user's courts
    reach, the published entries elsewhere. 404 for anyone outside the courts, and when
    there is nothing the user may see about this party."""
    if not user or not user.is_authenticated:
        raise Http404
    if not user.is_superuser and not courts_visible_to(user).exists():
        raise Http404
    try:
        party = Party.objects.get(pk=party_pk)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    listings = list(listings_for_user(user).filter(debtor=party).order_by("-decided_on", "-pk"))
    restrictions = list(
        restrictions_for_user(user).filter(debtor=party).order_by("-requested_at", "-pk")
    )
    seen_l = {s.pk for s in listings}
    seen_r = {s.pk for s in restrictions}
    public_listings = [
        s
        for s in Listing.objects.select_related("court", "case")
        .filter(debtor=party, publication__in=PUBLIC_STATES)
        .order_by("-decided_on")
        if s.pk not in seen_l
    ]
    public_restrictions = [
        s
        for s in Restriction.objects.select_related("court", "case")
        .filter(debtor=party, publication__in=PUBLIC_STATES)
        .order_by("-requested_at")
        if s.pk not in seen_r
    ]
    findings = list(findings_for_user(user).filter(debtor=party))
    removals = list(
        removals_for_user(user).filter(Q(listing__debtor=party) | Q(restriction__debtor=party))
    )
    certificates = list(certificates_for_user(user).filter(party=party))
    if not (listings or restrictions or public_listings or public_restrictions or findings
            or certificates):  # fmt: skip
        raise Http404
    return DebtorRecord(
        party=party,
        listings=listings,
        restrictions=restrictions,
        findings=findings,
        removals=removals,
        certificates=certificates,
        public_listings=public_listings,
        public_restrictions=public_restrictions,
    )


# --- removals: due and late ----------------------------------------------------------------

OPEN_REMOVAL = (Removal.State.PENDING_APPROVAL, Removal.State.PENDING)


def late_removals(user, *, now=None) -> QuerySet[Removal]:
    """Removals past their 3 working days: still open after the due moment, or done after
    it. Refused ones are not late (nothing was to be removed)."""
    now = now or timezone.now()
    return removals_for_user(user).filter(
        Q(state__in=OPEN_REMOVAL, due_at__lt=now)
        | Q(state=Removal.State.DONE, done_at__gt=F("due_at"))
    )


@dataclass(frozen=True)
class LateRow:
    owner_name: str
    open_late: int
    done_late: int

    @property
    def total(self) -> int:
        return self.open_late + self.done_late


def late_removals_by_owner(user, *, now=None) -> list[LateRow]:
    """How many removals are late and by whom (the officer who owns each)."""
    now = now or timezone.now()
    open_late: Counter = Counter()
    done_late: Counter = Counter()
    for removal in late_removals(user, now=now).select_related("owner"):
        name = str(removal.owner) if removal.owner else "—"
        if removal.state == Removal.State.DONE:
            done_late[name] += 1
        else:
            open_late[name] += 1
    names = sorted(
        set(open_late) | set(done_late), key=lambda n: (-(open_late[n] + done_late[n]), n)
    )
    return [LateRow(n, open_late[n], done_late[n]) for n in names]


def open_removals(user) -> QuerySet[Removal]:
    return removals_for_user(user).filter(state__in=OPEN_REMOVAL).order_by("due_at", "pk")


def to_decide(user) -> dict:
    """What waits for this user's own decision (the named approver)."""
    if not user or not user.is_authenticated:
        return {"restrictions": [], "removals": [], "liftings": []}
    return {
        "restrictions": list(
            restrictions_for_user(user).filter(
                approver=user, state=Restriction.State.PENDING_APPROVAL
            )
        ),
        "removals": list(
            removals_for_user(user).filter(approver=user, state=Removal.State.PENDING_APPROVAL)
        ),
        "liftings": list(
            liftings_for_user(user).filter(
                approver=user, state=OneTimeLifting.State.PENDING_APPROVAL
            )
        ),
    }


# --- one case -----------------------------------------------------------------------------


@dataclass
class CaseCredit:
    listings: list
    restrictions: list
    findings: list
    removals: list
    restorations: list
    certificates: list

    @property
    def empty(self) -> bool:
        return not (self.listings or self.restrictions or self.findings or self.removals
                    or self.restorations or self.certificates)  # fmt: skip


def case_lineage(case) -> list[int]:
    """The case and the cases it was resumed from (执恢 → 终本 → …), newest first: a
    resumed case carries on the one before it, and so do its credit measures, which stay
    on the case that decided them. One query per step back (a chain is short)."""
    ids, previous = [case.pk], getattr(case, "resumed_from_id", None)
    while previous is not None and previous not in ids:
        ids.append(previous)
        previous = (
            type(case).objects.filter(pk=previous).values_list("resumed_from_id", flat=True).first()
        )
    return ids


def case_credit(case) -> CaseCredit:
    """The credit records of one case — and of the cases it was resumed from, whose
    sanctions still bind the debtor here (the caller fetched the case through its scope).
    On the case page only the kinds the case has are read; a resumed case reads them all,
    since its sanctions may sit on the cases before it, which the page's probe does not see."""
    lineage = case_lineage(case)
    resumed = len(lineage) > 1

    def rows(queryset) -> list:
        return list(queryset) if resumed or may_hold(case, queryset.model) else []

    return CaseCredit(
        listings=rows(
            Listing.objects.filter(case_id__in=lineage).select_related(
                "case_party", "case", "court"
            )
        ),
        restrictions=rows(
            Restriction.objects.filter(case_id__in=lineage).select_related(
                "case_party", "approver", "case", "court"
            )
        ),
        findings=rows(
            AbilityFinding.objects.filter(case_id__in=lineage).select_related("case_party")
        ),
        removals=rows(
            Removal.objects.filter(case_id__in=lineage).select_related(
                "listing", "restriction", "owner", "court"
            )
        ),
        restorations=rows(Restoration.objects.filter(case_id__in=lineage).select_related("court")),
        certificates=rows(
            Certificate.objects.filter(case=case).select_related("document", "court")
        ),
    )
