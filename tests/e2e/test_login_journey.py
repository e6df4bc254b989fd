"""A clerk signs in on the Chinese login page, finds their way around, and signs out.

Also: a wrong password is refused with a message, and five in a row lock the account
(django-axes) even against the right password.
"""

import re

import pytest
from playwright.sync_api import expect

from organisations.models import Membership, Organisation, Region, User
from organisations.roles import Role

pytestmark = pytest.mark.browser

PASSWORD = "Qiao#Feng-2026"


@pytest.fixture
def clerk(transactional_db):
    regions = Region.objects
    province = regions.add_root(
        {"name": "内蒙古自治区", "code": "150000000000", "level": Region.Level.PROVINCE}
    )
    city = regions.add_child(
        province, {"name": "鄂尔多斯市", "code": "150600000000", "level": Region.Level.PREFECTURE}
    )
    district = regions.add_child(
        city, {"name": "康巴什区", "code": "150603000000", "level": Region.Level.COUNTY}
    )
    court = Organisation.objects.add_root(
        {
            "name": "鄂尔多斯市康巴什区人民法院",
            "short_name": "康巴什法院",
            "kind": Organisation.Kind.COURT,
            "region": district,
            "court_code": "蒙0603",
        }
    )
    Organisation.objects.add_child(
        court,
        {"name": "哈巴格希人民法庭", "kind": Organisation.Kind.TRIBUNAL, "region": district},
    )
    user = User.objects.create_user(username="clerk", password=PASSWORD, full_name="王晓梅")
    Membership.objects.create(
        user=user, organisation=court, role=Role.CLERK, title="立案庭书记员", is_primary=True
    )
    return user


def test_clerk_signs_in_browses_organisations_and_signs_out(
    page, clerk, login, screenshot, docs_screenshot
):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="枫桥矛盾纠纷化解与执行平台")).to_be_visible()

    login(page, "clerk", PASSWORD)

    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    nav = page.get_by_test_id("main-nav")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="工作台")).to_be_visible()
    expect(nav.get_by_role("link", name="组织机构")).to_be_visible()
    expect(page.get_by_role("heading", name="您好，王晓梅")).to_be_visible()
    memberships = page.get_by_test_id("my-memberships")
    expect(memberships).to_contain_text("鄂尔多斯市康巴什区人民法院")
    expect(memberships).to_contain_text("书记员")
    screenshot(page, "home")
    docs_screenshot(page, "screenshot-home.png")

    nav.get_by_role("link", name="组织机构").click()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.get_by_role("heading", name="组织机构")).to_be_visible()
    table = page.get_by_test_id("organisation-table")
    expect(table).to_contain_text("鄂尔多斯市康巴什区人民法院")
    expect(table).to_contain_text("哈巴格希人民法庭")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_is_refused_with_a_message(page, clerk, login):
    login(page, "clerk", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("login-error")).to_be_visible()
    expect(page.get_by_test_id("login-error")).to_contain_text("密码")
    expect(page.get_by_test_id("main-nav")).to_have_count(0)


def test_five_wrong_passwords_lock_the_account(page, clerk, login, screenshot):
    for _attempt in range(5):
        login(page, "clerk", "not-the-password")

    login(page, "clerk", PASSWORD)

    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.get_by_test_id("locked-out")).to_contain_text("锁定")
    expect(page.get_by_test_id("main-nav")).to_have_count(0)
    screenshot(page, "locked-out")


def test_clerk_signs_in_on_a_phone(phone_page, clerk, login, screenshot):
    login(phone_page, "clerk", PASSWORD)

    nav = phone_page.get_by_test_id("main-nav")
    expect(nav).to_be_hidden()  # collapsed behind the menu button on a narrow screen
    phone_page.get_by_role("button", name="菜单").click()
    expect(nav.get_by_role("link", name="组织机构")).to_be_visible()
    # Bootstrap animates the menu open: wait until it has settled before the picture.
    expect(phone_page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    expect(phone_page.get_by_test_id("my-memberships")).to_contain_text("书记员")
    screenshot(phone_page, "home")
