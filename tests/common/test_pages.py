import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert body["database"]["ok"] is True
    assert "broker" in body
    assert response.status_code == (200 if body["broker"]["ok"] else 503)


def test_chinese_404_page(world, client_for):
    response = client_for(world.owner).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_home_shows_memberships_and_navigation(world, client_for):
    page = client_for(world.owner).get("/").content.decode()
    assert 'data-testid="main-nav"' in page
    assert "组织机构" in page
    assert "书记员" in page


def test_english_is_available(world, client_for):
    client = client_for(world.owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_static_assets_are_vendored_not_from_a_cdn(world, client_for):
    page = client_for(world.owner).get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    for host in ("cdn.", "jsdelivr", "unpkg", "googleapis", "cdnjs"):
        assert host not in page


@pytest.mark.parametrize(
    ("handler", "status", "text"),
    [("permission_denied", 403, "无权访问"), ("server_error", 500, "系统出错了")],
)
def test_chinese_error_pages(rf, handler, status, text):
    from django.contrib.auth.models import AnonymousUser

    from common import views

    request = rf.get("/")
    request.user = AnonymousUser()
    args = () if handler == "server_error" else (None,)
    response = getattr(views, handler)(request, *args)
    assert response.status_code == status
    assert text in response.content.decode()
