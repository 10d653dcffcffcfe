"""The whole loop of a repair, driven through the pages in a real browser (Debian's Chromium).

Front desk logs in and registers a walk-in, dispatches it; the technician on a phone accepts,
checks in, photographs before and after, the owner signs on the phone, the job is resolved and
rated; the callback clerk records a satisfied callback and the ticket is closed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from guanjia.conftest import PASSWORD, make_staff
from guanjia.org.models import Department
from guanjia.org.roles import Role
from guanjia.tickets.models import Callback, State, Ticket

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still sync.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def people(world):
    """HY's departments, 李强 in engineering, and a callback clerk. No frozen clock: the live server runs in real time."""
    depts = {kind: Department.objects.create(estate=world.hy, kind=kind) for kind in Department.Kind.values}
    world.li.department = depts["engineering"]
    world.li.save()
    world.wang.department = depts["customer_service"]
    world.wang.save()
    world.clerk = make_staff("huifang", "钱晓", role=Role.FRONT_DESK, estates=[world.hy])  # callback clerk, HY
    world.clerk.department = depts["customer_service"]
    world.clerk.save()
    return world


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def log_in(page, base: str, path: str, username: str) -> None:
    """Through the real login form, as a person would: the page asks, the form answers, back to `path`."""
    page.goto(base + path)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + path)


def sign(page, canvas) -> None:
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 20, y + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + 20 + step * 22, y + box["height"] * (0.6 - 0.3 * (step % 2)), steps=3)
    page.mouse.up()


def test_a_repair_goes_round_the_whole_loop_in_the_browser(people, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    w = people
    base = live_server.url
    before_png, after_png = tmp_path / "before.png", tmp_path / "after.png"
    Image.new("RGB", (64, 48), "saddlebrown").save(before_png)
    Image.new("RGB", (64, 48), "lightsteelblue").save(after_png)

    # 前台 王磊: quick entry of a walk-in, then dispatch to 李强.
    desk = browser.new_context(locale="zh-CN")
    page = desk.new_page()
    log_in(page, base, "/tickets/new/", "wanglei")
    page.check("input[name=channel][value=front_desk]")
    page.fill("[name=unit_code]", "3-2-1102")
    page.select_option("[name=request_type]", "repair")
    page.select_option("[name=category]", "water")
    page.select_option("[name=urgency]", "normal")
    page.fill("[name=description]", "厨房水槽下面的角阀漏水")
    page.fill("[name=contact_name]", "陈静")
    page.fill("[name=contact_phone]", "13812345678")
    page.click("text=登记工单")
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "new")
    ticket = Ticket.objects.get()
    assert page.locator("h1").inner_text().startswith(ticket.number)
    expect(page.locator(".masked").first).to_have_text("138****5678")

    dispatch = page.locator("form[data-action=dispatch]")
    dispatch.locator("select[name=assignee]").select_option(str(w.li.pk))
    dispatch.locator("button[type=submit]").click()
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "assigned")
    expect(page.locator(".notice")).to_contain_text("已派给 李强")

    # 李强 on his phone: accept, check in, photos, the owner signs, resolve, the owner rates.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    tech = phone.new_page()
    log_in(tech, base, "/tickets/field/", "liqiang")
    job = tech.locator(f"article[data-ticket='{ticket.number}']")
    expect(job).to_be_visible()
    assert tech.locator(".field").bounding_box()["width"] <= 480
    job.locator("[data-action=accept]").click()
    expect(job.locator("[data-state]")).to_have_attribute("data-state", "accepted")

    # The desk page still shows the version before 李强 accepted: its cancel is a conflict, shown in place.
    cancel = page.locator("form[data-action=cancel]")
    cancel.locator("[name=reason]").fill("业主说不用修了")
    cancel.locator("button[type=submit]").click()
    expect(page.locator("p.error")).to_contain_text("已被他人更新")
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "accepted")

    job.locator("[data-action=arrive]").click()
    expect(job.locator("[data-state]")).to_have_attribute("data-state", "in_progress")

    job.locator("form[data-stage=before] input[type=file]").set_input_files(before_png)
    job.locator("[data-action=photo-before]").click()
    expect(job.locator(".photos figcaption", has_text="维修前")).to_have_count(1)
    job.locator("form[data-stage=after] input[type=file]").set_input_files(after_png)
    job.locator("[data-action=photo-after]").click()
    expect(job.locator(".photos figcaption", has_text="维修后")).to_have_count(1)

    resolve = job.locator("form[data-form=resolve]")
    resolve.locator("[name=work_done]").fill("更换角阀，试水30分钟无渗漏")
    sign(tech, resolve.locator("canvas"))
    assert resolve.locator("[name=signature_data]").input_value().startswith("data:image/png;base64,")
    resolve.locator("[data-action=resolve]").click()
    expect(job.locator("[data-state]")).to_have_attribute("data-state", "confirmed")
    expect(job.locator(".notice")).to_contain_text("业主已签字确认")

    job.locator("summary", has_text="请业主评价").click()
    rate = job.locator("form[data-action=rate]")
    rate.locator("[name=speed]").select_option("5")
    rate.locator("[name=professionalism]").select_option("5")
    rate.locator("[name=attitude]").select_option("4")
    rate.locator("[name=comment]").fill("师傅很细心")
    rate.locator("button[type=submit]").click()
    expect(job.locator(".notice")).to_contain_text("已录入评价")
    expect(job.locator("form[data-action=rate]")).to_have_count(0)

    # 回访专员 钱晓: the callback desk, script read, outcome satisfied.
    clerk_context = browser.new_context(locale="zh-CN")
    clerk = clerk_context.new_page()
    log_in(clerk, base, "/tickets/callbacks/", "huifang")
    item = clerk.locator(f"article.callback[data-ticket='{ticket.number}']")
    expect(item).to_contain_text("回访话术")
    expect(item).to_contain_text("138****5678")
    item.locator("input[name=outcome][value=satisfied]").check()
    item.locator("[name=notes]").fill("业主满意，评5分")
    item.locator("button[type=submit]").click()
    item = clerk.locator(f"article.callback[data-ticket='{ticket.number}']")
    # Closing renders the PDF service report; the test settings run tasks inside the request.
    expect(item.locator(".outcome")).to_contain_text("满意", timeout=30_000)
    expect(item.locator("[data-state]")).to_have_attribute("data-state", "closed")

    # The front desk sees it closed, with the whole story on the timeline.
    page.reload()
    expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "closed")
    timeline = page.locator("ol.timeline")
    for step in ("创建", "派单", "接单", "到场/联系业主", "完成", "业主确认", "评价", "回访", "关闭"):
        expect(timeline).to_contain_text(step)
    expect(page.locator(".photos img")).to_have_count(3)  # before, after, and the signature
    expect(page.locator(".rating")).to_contain_text("服务态度 4")
    import os as _o

    if _o.environ.get("SHOTS"):
        page.screenshot(path="/tmp/shot_detail.png", full_page=True)
        tech.goto(base + f"/tickets/{ticket.pk}/")
        tech.screenshot(path="/tmp/shot_phone_detail.png", full_page=True)
        page.goto(base + "/tickets/?state=all")
        page.screenshot(path="/tmp/shot_list.png", full_page=True)
        page.goto(base + "/tickets/morning/")
        page.emulate_media(media="print")
        page.screenshot(path="/tmp/shot_morning_print.png", full_page=True)

    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED and ticket.closed_at is not None
    assert ticket.signature and ticket.photos.count() == 2 and ticket.rating.attitude == 4
    assert ticket.callbacks.get().outcome == Callback.Outcome.SATISFIED
    assert ticket.callbacks.get().done_by == w.clerk
    for context in (desk, phone, clerk_context):
        context.close()
