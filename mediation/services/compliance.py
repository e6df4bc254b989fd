"""Compliance with mediation agreements (协议履行): one `mediation.instalment` clock per
instalment, payments recorded against it, and who is told when it is due or missed.

Who is told. Parties have no portal login in Fengqiao (cases.Party is a record, not a
user), so the notifications app cannot deliver to a debtor or creditor directly: its SMS
channel sends to users. As with the rating link's SMS on the dispute page, the case's
mediator is the relay: before each due date the mediator is notified with the debtor's
masked phone and the ready-to-send SMS text (or calls them); when an instalment is missed
the mediator is notified with the creditor's contact and the text to tell them. A case
without a mediator who logs in tells the committee's clerks instead. The deadline engine
sends each stage once (Reminder rows, unique per stage): re-running the sweep sends
nothing more.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import audit_create
from common.money import format_yuan, to_yuan
from deadlines import selectors as deadline_selectors
from deadlines import services as deadline_services
from deadlines.models import Deadline
from deadlines.registry import register_kind
from mediation.models import Agreement, Instalment, InstalmentPayment, Obligation
from mediation.states import MEDIATING
from notifications.services import NotificationSpec
from organisations.roles import Role

from ._common import members_of, require_roles

INSTALMENT = "mediation.instalment"
KIND_DUE = "mediation.instalment_due"
KIND_MISSED = "mediation.instalment_missed"


def register_kinds() -> None:
    register_kind(
        INSTALMENT,
        label=_("协议分期履行"),
        unit="calendar_days",
        amount=1,
        basis=_("调解协议约定的履行期限（分期付款到期日）。"),
        lead_times=(3, 1),
        pausable=False,
        extension_by_request=False,
        notifications=instalment_notifications,
    )


def _due_moment(day: datetime.date) -> datetime.datetime:
    """The end of the due day (the debtor may pay until then), Beijing time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _mediator_user(case):
    return case.mediator.user if case.mediator_id and case.mediator.user_id else None


def instalment_clocks_start(*, agreement: Agreement, actor) -> list[Deadline]:
    """Called with the agreement (in its transaction): a money obligation paid at once
    becomes its single instalment (第1期), so every sum owed is watched the same way; each
    instalment gets its clock, owned by the case's mediator. Acts are not watched here."""
    case = agreement.case
    clocks = []
    obligations = Obligation.objects.filter(agreement=agreement, kind=Obligation.Kind.MONEY)
    for obligation in obligations.prefetch_related("instalments"):
        instalments = list(obligation.instalments.all())
        if not instalments:
            single = Instalment.objects.create(
                obligation=obligation, number=1, amount=obligation.amount,
                due_date=obligation.due_date,
            )  # fmt: skip
            audit_create(single, actor=actor, note=gettext("一次性履行，作为一期跟踪"))
            instalments = [single]
        for instalment in instalments:
            clocks.append(
                deadline_services.deadline_start(
                    subject=instalment,
                    kind=INSTALMENT,
                    organisation=case.organisation,
                    owner=_mediator_user(case),
                    actor=actor,
                    due_at=_due_moment(instalment.due_date),
                )
            )
    return clocks


def instalment_paid_total(instalment: Instalment) -> Decimal:
    total = instalment.payments.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def instalment_record_payment(
    *, instalment: Instalment, actor, amount, paid_on: datetime.date | None = None, note: str = ""
) -> InstalmentPayment:
    """履行登记: a payment (or part of one) of an instalment. Paid in full, its clock is
    met (after the due day the engine keeps it as missed: 逾期履行). More than what is
    still owed is refused."""
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    case = instalment.obligation.agreement.case
    require_roles(case, actor, MEDIATING, gettext("只有本案调解员或调解组织的人员可以登记履行。"))
    errors = {}
    try:
        amount = to_yuan(amount)
    except (TypeError, ValueError):
        errors["amount"] = [gettext("请填写金额，例如 1500.00。")]
    else:
        owed = instalment.amount - instalment_paid_total(instalment)
        if amount <= 0:
            errors["amount"] = [gettext("金额须大于零。")]
        elif owed <= 0:
            errors["amount"] = [gettext("本期已履行完毕。")]
        elif amount > owed:
            errors["amount"] = [
                gettext("超过本期尚欠金额 %(owed)s。") % {"owed": format_yuan(owed)}
            ]
    today = timezone.localdate()
    paid_on = paid_on or today
    if paid_on > today:
        errors["paid_on"] = [gettext("付款日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    payment = InstalmentPayment.objects.create(
        instalment=instalment,
        amount=amount,
        paid_on=paid_on,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    paid_in_full = instalment_paid_total(instalment) >= instalment.amount
    audit_create(
        payment,
        actor=actor,
        note=gettext("登记履行：%(debtor)s 第%(n)d期付款 %(amount)s（%(day)s）%(state)s")
        % {
            "debtor": instalment.obligation.obligor.name,
            "n": instalment.number,
            "amount": format_yuan(amount),
            "day": paid_on.isoformat(),
            "state": gettext("，本期已履行完毕") if paid_in_full else "",
        },
    )
    if paid_in_full:
        for clock in deadline_selectors.deadlines_for(instalment).filter(
            kind=INSTALMENT, state__in=Deadline.OPEN_STATES
        ):
            deadline_services.deadline_meet(clock, actor=actor)
    return payment


def debtor_sms_text(instalment: Instalment) -> str:
    obligation = instalment.obligation
    return gettext(
        "【枫桥】%(name)s您好，您在调解协议（%(ref)s）中约定的第%(n)d期款项%(amount)s"
        "将于%(date)s到期，请按期履行。"
    ) % {
        "name": obligation.obligor.name,
        "ref": obligation.agreement.case.reference,
        "n": instalment.number,
        "amount": format_yuan(instalment.amount),
        "date": instalment.due_date.isoformat(),
    }


def creditor_sms_text(instalment: Instalment) -> str:
    obligation = instalment.obligation
    return gettext(
        "【枫桥】%(name)s您好，调解协议（%(ref)s）约定%(debtor)s应于%(date)s支付的第%(n)d期款项"
        "%(amount)s未按期履行，调解员将跟进督促；如需申请司法确认或强制执行，请与调解员联系。"
    ) % {
        "name": obligation.obligee.name,
        "ref": obligation.agreement.case.reference,
        "debtor": obligation.obligor.name,
        "n": instalment.number,
        "amount": format_yuan(instalment.amount),
        "date": instalment.due_date.isoformat(),
    }


def instalment_notifications(items) -> dict[int, list[NotificationSpec]]:
    """The sweep's hook for `mediation.instalment` (one call per batch, a fixed number of
    queries): before the due day the mediator is asked to remind the debtor; when it is
    missed, to tell the creditor. An instalment already paid in full tells nobody."""
    instalments = {
        i.pk: i
        for i in Instalment.objects.filter(pk__in=[d.object_id for d, _stage, _lead in items])
        .select_related(
            "obligation__obligor",
            "obligation__obligee",
            "obligation__agreement__case__mediator__user",
        )
        .annotate(paid=Sum("payments__amount"))
    }
    clerks: dict[int, list] = {}
    result: dict[int, list[NotificationSpec]] = {}
    for deadline, stage, _lead in items:
        instalment = instalments.get(deadline.object_id)
        if instalment is None or (instalment.paid or 0) >= instalment.amount:
            result[deadline.pk] = []
            continue
        obligation = instalment.obligation
        case = obligation.agreement.case
        recipient = _mediator_user(case)
        if recipient is not None:
            recipients = [recipient]
        else:
            if case.organisation_id not in clerks:
                clerks[case.organisation_id] = members_of(case.organisation, Role.CLERK)
            recipients = clerks[case.organisation_id]
        link = f"{case.get_absolute_url()}#compliance"
        owed = instalment.amount - (instalment.paid or 0)
        if stage == "missed":
            kind = KIND_MISSED
            title = gettext("【未按期履行】%(debtor)s 第%(n)d期 %(owed)s 逾期：请告知权利人%(creditor)s") % {
                "debtor": obligation.obligor.name, "n": instalment.number,
                "owed": format_yuan(owed), "creditor": obligation.obligee.name,
            }  # fmt: skip
            contact = obligation.obligee.phone_masked or gettext("未留电话")
            body = gettext("%(ref)s：权利人 %(name)s（%(phone)s）。可发送短信：%(sms)s") % {
                "ref": case.reference, "name": obligation.obligee.name, "phone": contact,
                "sms": creditor_sms_text(instalment),
            }  # fmt: skip
        else:
            kind = KIND_DUE
            title = gettext("【履行提醒】%(debtor)s 第%(n)d期 %(owed)s 于 %(date)s 到期：请提醒义务人") % {
                "debtor": obligation.obligor.name, "n": instalment.number,
                "owed": format_yuan(owed), "date": instalment.due_date.isoformat(),
            }  # fmt: skip
            contact = obligation.obligor.phone_masked or gettext("未留电话")
            body = gettext("%(ref)s：义务人 %(name)s（%(phone)s）。请致电或发送短信：%(sms)s") % {
                "ref": case.reference, "name": obligation.obligor.name, "phone": contact,
                "sms": debtor_sms_text(instalment),
            }  # fmt: skip
        result[deadline.pk] = [
            NotificationSpec(user, kind, title, body, link, instalment) for user in recipients
        ]
    return result
