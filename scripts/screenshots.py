"""Screenshots of the demo for the README (docs/screenshots/): each role's home page and the pages
the README shows, at phone (390 px) and desktop (1,280 px) width.

Run against a served demo (`make run`, or `manage.py runserver` on a database filled by
`manage.py load_demo` with GUWEN_WAIVE_STAFF_TOTP=1 so staff sign in without a code):

    .venv/bin/python scripts/screenshots.py [BASE_URL]    # default http://127.0.0.1:8000

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; writes PNG files and prints their
names. The demo password is the one `load_demo` prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "nanwan-demo-2026"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {390: 844, 1280: 900}
HOMES = ["admin", "bureau", "office", "staff", "advisor", "firm", "association"]
# (file stem, user, path, widths, height of the page shown: 0 for the first screen)
PAGES = [
    ("reports-dashboard-bureau", "bureau", "/reports/", (390, 1280), 2200),
    ("reports-dashboard-office", "office", "/reports/", (1280,), 2200),
    ("reports-dashboard-staff", "staff", "/reports/", (390,), 2200),
    ("reports-workload-office", "office", "/reports/workload/", (1280,), 0),
    ("reports-ledgers-office", "office", "/reports/ledgers/", (1280,), 0),
    ("subsidy-settlements-office", "office", "/subsidy/?tab=all", (1280,), 0),
    ("evaluation-bureau", "bureau", "/evaluation/", (1280,), 0),
]


def login(page, base: str, user: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/", wait_until="domcontentloaded")


def shoot(browser, base: str, user: str, shots: list[tuple[str, str, int, int]]) -> list[str]:
    written = []
    for width in sorted({w for _s, _p, w, _f in shots}):
        context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, locale="zh-CN")
        page = context.new_page()
        login(page, base, user)
        for stem, path, w, height in shots:
            if w != width:
                continue
            page.goto(base + path, wait_until="networkidle")
            name = f"{stem}-{width}.png"
            if height:
                clip = {"x": 0, "y": 0, "width": width, "height": height}
                page.screenshot(path=str(OUT / name), full_page=True, clip=clip)
            else:
                page.screenshot(path=str(OUT / name))
            written.append(name)
            if stem.startswith("home-") and width == 390 and user == "office":
                page.click("text=菜单")
                page.screenshot(path=str(OUT / "menu-open-office-390.png"))
                written.append("menu-open-office-390.png")
        context.close()
    return written


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    plan: dict[str, list[tuple[str, str, int, int]]] = {}
    for user in HOMES:
        plan.setdefault(user, []).extend((f"home-{user}", "/", w, 0) for w in WIDTHS)
    for stem, user, path, widths, height in PAGES:
        plan.setdefault(user, []).extend((stem, path, w, height) for w in widths)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for user, shots in plan.items():
            for name in shoot(browser, base, user, shots):
                print(OUT.relative_to(ROOT) / name)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000")
