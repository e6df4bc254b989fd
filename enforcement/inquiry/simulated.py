"""The simulated inquiry provider: deterministic findings for development, tests and the
bench — never configured in production (settings select it in local and test only).

What it answers depends only on the debtor's identity (through a hash) and the day asked,
so the same question gives the same answer and the answers move with time as real ones
do: balances change week by week, an Alipay account opens on some day of 2025–2026, a car
is bought later. Tests and demos may script a debtor instead (`simulated_script`): from
each script row's date on, its findings replace or add to the earlier rows' (by kind,
institution and identifier), e.g. story 5's three bank accounts first and an Alipay
account from a later day.

Option `latency_ms` makes each call wait that long (the bench: 50 ms, like the national
system's answer time); waiting is sleeping, so a thread pool overlaps it.
"""

import datetime
import hashlib
import threading
import time
from decimal import Decimal

from .providers import Debtor, Finding, FindingKind, InquiryProvider, ProviderRefused

EPOCH = datetime.date(2025, 1, 1)
CENT = Decimal("0.01")

BANKS = (
    "中国工商银行乌海分行",
    "中国农业银行乌海分行",
    "中国银行乌海分行",
    "中国建设银行乌海分行",
    "交通银行乌海分行",
    "中国邮政储蓄银行乌海市分行",
    "内蒙古银行乌海分行",
    "乌海银行海勃湾支行",
)
BROKERS = ("中信证券乌海营业部", "华泰证券呼和浩特营业部", "国泰君安证券包头营业部")
EMPLOYERS = (
    "乌海市海勃湾区恒达建材有限公司",
    "内蒙古乌海化工有限公司",
    "乌海市兴盛物流有限公司",
    "乌海市海南区宏远煤业有限公司",
    "乌海市美食城餐饮管理有限公司",
)
CAR_MODELS = ("丰田卡罗拉", "大众朗逸", "本田雅阁", "长城哈弗H6", "五菱宏光", "比亚迪宋")
STREETS = ("海北街道", "新华街道", "凤凰岭街道", "滨河街道", "千里山镇")
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

ALIPAY = "支付宝（中国）网络技术有限公司"
WECHAT = "财付通支付科技有限公司"


def _h(*parts) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _yuan(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def _digits(seed: int, n: int) -> str:
    return "".join(str((seed >> (3 * i)) % 10) for i in range(n))


def _weekly_balance(seed: str, base_cents: int, on: datetime.date, spread: int) -> Decimal:
    """A balance that moves week by week around `base_cents`, never below zero."""
    week = (on - EPOCH).days // 7
    delta = _h(seed, "week", week) % (2 * spread + 1) - spread
    return _yuan(max(0, base_cents + delta))


def generated_findings(identity: str, kind: str, on: datetime.date) -> list[Finding]:
    """What the simulated system finds for this identity on day `on` (no script)."""
    h = _h("sim", identity)
    findings: list[Finding] = []
    person = kind == "person"
    # bank accounts: persons 0–3, organisations 1–3
    accounts = h % 4 if person else 1 + h % 3
    for i in range(accounts):
        seed = f"{identity}|bank|{i}"
        s = _h(seed)
        number = ("6222" if person else "1506") + _digits(s, 15)
        base = s % (4_000_000 if person else 40_000_000)
        findings.append(
            Finding(
                kind=FindingKind.BANK_ACCOUNT,
                institution=BANKS[s % len(BANKS)],
                identifier=number,
                description="活期储蓄账户" if person else "基本存款账户",
                balance=_weekly_balance(seed, base, on, spread=50_000),
            )
        )
    if person:
        # Alipay opens on a day of 2025–2026 for four debtors in five
        s = _h(identity, "alipay")
        opened = EPOCH + datetime.timedelta(days=s % 540)
        if s % 5 and on >= opened:
            findings.append(
                Finding(
                    kind=FindingKind.ALIPAY,
                    institution=ALIPAY,
                    identifier=f"1{_digits(s >> 7, 10)}",
                    description=f"支付宝账户（{opened:%Y-%m-%d}开立）",
                    balance=_weekly_balance(f"{identity}|alipay", s % 300_000, on, 20_000),
                )
            )
        s = _h(identity, "wechat")
        if s % 10 < 6:
            findings.append(
                Finding(
                    kind=FindingKind.WECHAT,
                    institution=WECHAT,
                    identifier=f"wxid_{_digits(s >> 5, 12)}",
                    description="微信支付零钱",
                    balance=_weekly_balance(f"{identity}|wechat", s % 150_000, on, 10_000),
                )
            )
    s = _h(identity, "estate")
    if s % 100 < (35 if person else 50):
        findings.append(
            Finding(
                kind=FindingKind.REAL_ESTATE,
                institution="乌海市不动产登记中心",
                identifier=f"蒙（{2010 + s % 14}）乌海市不动产权第{_digits(s >> 9, 7)}号",
                description=f"住宅 {60 + s % 90}.{s % 10}㎡ 海勃湾区{STREETS[s % len(STREETS)]}",
                estimated_value=_yuan((200_000 + s % 1_000_000) * 100),
                asset_status="mortgaged" if s % 5 == 0 else "normal",
            )
        )
    s = _h(identity, "vehicle")
    bought = EPOCH + datetime.timedelta(days=s % 700)
    if s % 100 < 40 and (s % 4 or on >= bought):
        plate = "".join(PLATE_CHARS[(s >> (5 * i)) % len(PLATE_CHARS)] for i in range(5))
        findings.append(
            Finding(
                kind=FindingKind.VEHICLE,
                institution="乌海市公安局交通管理支队车辆管理所",
                identifier=f"蒙C{plate}",
                description=f"小型轿车 {CAR_MODELS[s % len(CAR_MODELS)]}",
                estimated_value=_yuan((20_000 + s % 180_000) * 100),
            )
        )
    s = _h(identity, "securities")
    if s % 100 < 15:
        findings.append(
            Finding(
                kind=FindingKind.SECURITIES,
                institution=BROKERS[s % len(BROKERS)],
                identifier=f"A{_digits(s >> 4, 9)}",
                description="证券账户（资金及持仓）",
                balance=_weekly_balance(f"{identity}|sec", s % 2_000_000, on, 100_000),
                estimated_value=_yuan(s % 20_000_000),
            )
        )
    if person:
        s = _h(identity, "employer")
        employed = s % 100 < 60
        if employed:
            findings.append(
                Finding(
                    kind=FindingKind.EMPLOYER,
                    institution=EMPLOYERS[s % len(EMPLOYERS)],
                    identifier=EMPLOYERS[s % len(EMPLOYERS)],
                    description=f"在职，月工资约 {3000 + s % 7000} 元",
                    estimated_value=_yuan((3000 + s % 7000) * 100),
                )
            )
        if employed or s % 10 < 3:
            findings.append(
                Finding(
                    kind=FindingKind.SOCIAL_INSURANCE,
                    institution="乌海市社会保险事业服务中心",
                    identifier=identity,
                    description=(
                        f"城镇职工基本养老保险，参保单位：{EMPLOYERS[s % len(EMPLOYERS)]}"
                        if employed
                        else "城乡居民基本养老保险"
                    ),
                )
            )
    return findings


def _scripted(rows, on: datetime.date) -> list[Finding]:
    """Script rows (available_from, findings JSON) merged up to day `on`."""
    merged: dict[tuple, Finding | None] = {}
    for available_from, items in sorted(rows, key=lambda row: row[0]):
        if available_from > on:
            break
        for item in items:
            key = (item["kind"], item["institution"], item["identifier"])
            if item.get("removed"):
                merged[key] = None
                continue
            merged[key] = Finding(
                kind=item["kind"],
                institution=item["institution"],
                identifier=item["identifier"],
                description=item.get("description", ""),
                balance=Decimal(item["balance"]) if item.get("balance") is not None else None,
                estimated_value=(
                    Decimal(item["estimated_value"])
                    if item.get("estimated_value") is not None
                    else None
                ),
                asset_status=item.get("asset_status", "normal"),
            )
    return [finding for finding in merged.values() if finding is not None]


class SimulatedProvider(InquiryProvider):
    """Deterministic answers (see the module docstring); `latency_ms` waits per call."""

    def __init__(self, *, key: str, label: str = "", latency_ms: int = 0, **options):
        super().__init__(key=key, label=label or "模拟查控", **options)
        self.latency = max(0, int(latency_ms)) / 1000
        self._scripts: dict[str, list] = {}
        self._lock = threading.Lock()

    def open(self) -> None:
        """Load the scripted debtors (a small table: tests and demos only)."""
        from enforcement.models import SimulatedInquiryScript

        scripts: dict[str, list] = {}
        for index, available_from, findings in SimulatedInquiryScript.objects.values_list(
            "identity_index", "available_from", "findings"
        ):
            scripts.setdefault(index, []).append((available_from, findings))
        with self._lock:
            self._scripts = scripts

    def inquire(self, debtor: Debtor, *, on: datetime.date) -> list[Finding]:
        if self.latency:
            time.sleep(self.latency)
        rows = self._scripts.get(debtor.identity_index)
        if rows is not None:
            return _scripted(rows, on)
        identity = debtor.identity()
        if not identity:
            raise ProviderRefused("the debtor has no identity number")
        return generated_findings(identity, debtor.kind, on)


def simulated_script(
    *, identity: str, findings: list[dict], available_from: datetime.date, note: str = ""
):
    """Script what the simulated provider answers for `identity` from `available_from` on
    (tests, demos, training). Each finding: kind, institution, identifier, and optionally
    description, balance / estimated_value (strings: "12345.67"), asset_status, or
    removed=True to make an earlier row's asset disappear. Stored by the identity's blind
    index, never the identity."""
    from enforcement.models import SimulatedInquiryScript

    from .providers import identity_index

    for item in findings:
        for name in ("balance", "estimated_value"):
            value = item.get(name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f'{name} must be a string of yuan, e.g. "1234.56"')
    return SimulatedInquiryScript.objects.create(
        identity_index=identity_index(identity),
        available_from=available_from,
        findings=findings,
        note=note,
    )
