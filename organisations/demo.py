"""Demo data for the organisations app: a real-looking piece of Inner Mongolia (乌海市).

Idempotent: run it twice and nothing is duplicated. Other apps add their own demo data in
`<app>/demo.py` with a `load(context)` function; `manage.py load_demo` calls them in order.
"""

from django.db import transaction

from .models import Membership, Organisation, Region, User
from .roles import Role

DEMO_PASSWORD = "Fengqiao#2026"  # noqa: S105 - demo logins are printed for the user on purpose

# (code, name, level, parent code); codes are the national statistical division codes.
REGIONS = [
    ("150000", "内蒙古自治区", Region.Level.PROVINCE, None),
    ("150300", "乌海市", Region.Level.PREFECTURE, "150000"),
    ("150302", "海勃湾区", Region.Level.COUNTY, "150300"),
    ("150303", "海南区", Region.Level.COUNTY, "150300"),
    ("150304", "乌达区", Region.Level.COUNTY, "150300"),
    ("150302001", "新华街道", Region.Level.TOWNSHIP, "150302"),
    ("150302002", "海北街道", Region.Level.TOWNSHIP, "150302"),
    ("150302003", "凤凰岭街道", Region.Level.TOWNSHIP, "150302"),
    ("150303001", "拉僧庙镇", Region.Level.TOWNSHIP, "150303"),
    ("150302001001", "团结社区", Region.Level.VILLAGE, "150302001"),
    ("150302001002", "新华西社区", Region.Level.VILLAGE, "150302001"),
    ("150302002001", "海北社区", Region.Level.VILLAGE, "150302002"),
    ("150302003001", "凤凰岭社区", Region.Level.VILLAGE, "150302003"),
    ("150303001001", "拉僧庙村", Region.Level.VILLAGE, "150303001"),
]

K = Organisation.Kind
# (key, name, kind, region code, parent key, court code)
ORGANISATIONS = [
    ("city_centre", "乌海市社会治理综合服务中心", K.GOVERNANCE_CENTRE, "150300", None, ""),
    ("city_court", "乌海市中级人民法院", K.COURT, "150300", None, "蒙03"),
    ("hbw_court", "海勃湾区人民法院", K.COURT, "150302", None, "蒙0302"),
    ("hbw_tribunal", "海勃湾区人民法院新华人民法庭", K.TRIBUNAL, "150302001", "hbw_court", ""),
    ("hn_court", "海南区人民法院", K.COURT, "150303", None, "蒙0303"),
    ("hbw_centre", "海勃湾区社会治理综合服务中心", K.GOVERNANCE_CENTRE, "150302", None, ""),
    ("xinhua_centre", "新华街道综治中心", K.GOVERNANCE_CENTRE, "150302001", "hbw_centre", ""),
    ("tuanjie", "团结社区居委会", K.COMMUNITY, "150302001001", "xinhua_centre", ""),
    ("xinhuaxi", "新华西社区居委会", K.COMMUNITY, "150302001002", "xinhua_centre", ""),
    ("haibei_centre", "海北街道综治中心", K.GOVERNANCE_CENTRE, "150302002", "hbw_centre", ""),
    ("xinhua_justice", "新华街道司法所", K.JUSTICE_OFFICE, "150302001", None, ""),
    ("xinhua_committee", "新华街道人民调解委员会", K.MEDIATION_COMMITTEE, "150302001", None, ""),
    (
        "labour_committee",
        "海勃湾区劳动争议人民调解委员会",
        K.MEDIATION_COMMITTEE,
        "150302",
        None,
        "",
    ),
    (
        "property_committee",
        "海勃湾区物业纠纷人民调解委员会",
        K.MEDIATION_COMMITTEE,
        "150302",
        None,
        "",
    ),
    (
        "legal_station",
        "团结社区法学会基层服务站",
        K.LEGAL_SERVICE_STATION,
        "150302001001",
        None,
        "",
    ),
    ("police", "海勃湾公安分局新华派出所", K.DEPARTMENT, "150302001", None, ""),
    ("heating", "乌海市热力公司海勃湾分公司", K.DEPARTMENT, "150302", None, ""),
    ("property_co", "金裕物业服务有限公司", K.DEPARTMENT, "150302001", None, ""),
    ("political_committee", "海勃湾区委政法委", K.PARTY_COMMITTEE, "150302", None, ""),
]

# (username, full name, organisation key, role, title)
USERS = [
    ("clerk", "王书记员", "hbw_court", Role.CLERK, "立案庭书记员"),
    ("officer", "李执行", "hbw_court", Role.ENFORCEMENT_OFFICER, "执行局执行员"),
    ("mediator", "张调解", "xinhua_committee", Role.MEDIATOR, "人民调解员"),
    # the chief legal expert stationed at the street's centre (seed 000: the sandpit meeting)
    ("expert", "马律师", "xinhua_centre", Role.MEDIATOR, "首席法律咨询专家（驻街道综治中心）"),
    ("grid", "刘网格", "tuanjie", Role.GRID_WORKER, "网格员"),
    ("centre", "赵中心", "xinhua_centre", Role.CLERK, "综治中心受理员"),
    ("responder", "陈民警", "police", Role.RESPONDER, "社区民警"),
    ("heating", "孙热力", "heating", Role.RESPONDER, "客服主管"),
    ("property", "钱物业", "property_co", Role.RESPONDER, "物业公司客服"),
    ("supervisor", "周主任", "hbw_centre", Role.SUPERVISOR, "区综治中心主任"),
    ("president", "吴院长", "hbw_court", Role.SUPERVISOR, "院长"),
    # the court above: reviews (复议), a court of its region's figures, moving cases between
    # its courts (交叉执行)
    ("intermediate", "郭局长", "city_court", Role.SUPERVISOR, "中院执行局局长"),
    ("admin", "系统管理员", "hbw_centre", Role.ADMIN, "管理员"),
    ("outsider", "郑法官", "hn_court", Role.CLERK, "海南区法院书记员"),
]


def _region(code, name, level, parent):
    existing = Region.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        return Region.objects.add_root({"code": code, "name": name, "level": level})
    return Region.objects.add_child(parent, {"code": code, "name": name, "level": level})


def _organisation(name, kind, region, parent, court_code):
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    values = {"name": name, "kind": kind, "region": region, "court_code": court_code}
    if parent is None:
        return Organisation.objects.add_root(values)
    parent.refresh_from_db()
    return Organisation.objects.add_child(parent, values)


@transaction.atomic
def load(context: dict) -> None:
    regions: dict[str, Region] = {}
    for code, name, level, parent_code in REGIONS:
        parent = regions[parent_code] if parent_code else None
        if parent is not None:
            parent.refresh_from_db()
        regions[code] = _region(code, name, level, parent)

    organisations: dict[str, Organisation] = {}
    for key, name, kind, region_code, parent_key, court_code in ORGANISATIONS:
        parent = organisations[parent_key] if parent_key else None
        organisations[key] = _organisation(name, kind, regions[region_code], parent, court_code)

    users: dict[str, User] = {}
    for username, full_name, org_key, role, title in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[org_key],
            role=role,
            defaults={"title": title, "is_primary": True},
        )
        users[username] = user

    # Sorted inserts (node_order_by) can shift siblings' paths: hand back fresh objects.
    fresh_regions = Region.objects.in_bulk([r.pk for r in regions.values()])
    regions = {code: fresh_regions[r.pk] for code, r in regions.items()}
    fresh_organisations = Organisation.objects.select_related("region").in_bulk(
        [o.pk for o in organisations.values()]
    )
    organisations = {key: fresh_organisations[o.pk] for key, o in organisations.items()}
    context.update(regions=regions, organisations=organisations, users=users)
    context.setdefault("logins", []).extend(
        (username, DEMO_PASSWORD, full_name, str(role.label), organisations[org].name)
        for username, full_name, org, role, _title in USERS
    )
