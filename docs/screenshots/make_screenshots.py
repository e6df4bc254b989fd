"""Screenshots of each role's home page (工作台) at phone and desktop size, for the README.

Run it against a portal serving the demo data (a scratch database):

    createdb -h 127.0.0.1 -U postgres fq_shots
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_shots
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8108 &
    .venv/bin/python docs/screenshots/make_screenshots.py --base-url http://127.0.0.1:8108

Grid workers, mediators and responders work on phones (390×844), the others at desks
(1440×900); every role is taken at both sizes. Debian's chromium, never a downloaded one.
PNGs are written next to this script; `--page` adds another path (e.g. /cases/) per role.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "Fengqiao#2026"  # noqa: S105 - the demo logins (organisations/demo.py), printed on purpose
ROLES = ["clerk", "officer", "centre", "supervisor", "president", "grid", "mediator", "responder"]
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8108")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--roles", nargs="*", default=ROLES)
    parser.add_argument("--page", action="append", default=[], help="also shoot this path")
    parser.add_argument("--out", default=str(HERE))
    args = parser.parse_args()
    out = Path(args.out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for username in args.roles:
            for size, (width, height) in SIZES.items():
                # scale 1 keeps the PNGs small; the phone is still laid out at 390 CSS px
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                    is_mobile=size == "phone",
                    has_touch=size == "phone",
                )
                page = context.new_page()
                login(page, args.base_url, username)
                page.screenshot(path=str(out / f"home-{username}-{size}.png"), full_page=False)
                for path in args.page:
                    page.goto(f"{args.base_url}{path}")
                    name = path.strip("/").replace("/", "-") or "root"
                    page.screenshot(
                        path=str(out / f"{name}-{username}-{size}.png"), full_page=False
                    )
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
