"""English is a choice: the language switch turns the staff pages and the admin into English, a browser's
Accept-Language does not, and the committed catalogue (guanjia/locale/en) is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"  # where Django looks
HAN = re.compile(r"[\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r"%\((\w+)\)")

# Page, English labels it must show once English is chosen, Chinese labels it must show otherwise.
PAGES = [
    ("/", ["Dashboard", "Front desk agent", "Property type", "Buildings", "Residents", "Work orders"],
     ["工作台", "前台客服", "业态", "楼栋", "住户", "工单"]),
    ("/residents/", ["Residents", "Name", "Mobile", "Flags", "Owner", "Household member", "All estates"],
     ["住户", "姓名", "手机号", "标记", "业主", "家庭成员", "全部项目"]),
    ("/tickets/", ["Work orders", "My work orders", "Department queue", "Reported at", "Call for help",
                   "No matching work orders."],
     ["工单", "我的工单", "部门队列", "报事时间", "求助", "没有符合条件的工单。"]),
    ("/admin/", ["Estates & property", "Owners & residents", "Organisation & rosters", "Equipment ledger",
                 "Work orders"],
     ["项目与房产", "业主与住户", "组织与排班", "设备台账", "工单"]),
]  # fmt: skip

# The admin's header and index title are plain strings in config/urls.py, not catalogue entries.
ADMIN_LITERALS = {"管家", "管理后台", "物业客服管理"}


def page_text(response) -> str:
    assert response.status_code == 200, response
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def data_names(world) -> set[str]:
    """Chinese that is data, not UI: estate and people names, the brand, the language's own name."""
    people = [world.wang, world.chen, world.chen_member, world.zhou]
    return {world.hy.name, *(p.name for p in people), "管家", "简体中文"}


@pytest.fixture
def desk(world, client):
    client.force_login(world.wang.user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "english", "chinese"), PAGES, ids=[p[0] for p in PAGES])
def test_choosing_english_turns_the_page_english(world, desk, path, english, chinese):
    chosen = desk.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert chosen.status_code == 302 and chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    text = page_text(desk.get(path))

    for label in english:
        assert label in text, (path, label)
    for label in chinese:
        assert label not in text, (path, label)
    leftover = set(HAN.findall(text)) - data_names(world) - (ADMIN_LITERALS if path == "/admin/" else set())
    assert not leftover, f"untranslated on {path}: {sorted(leftover)}"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "english", "chinese"), PAGES, ids=[p[0] for p in PAGES])
def test_without_a_choice_the_page_stays_chinese_whatever_the_browser_says(desk, path, english, chinese):
    text = page_text(desk.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))

    for label in chinese:
        assert label in text, (path, label)
    for label in english:
        assert label not in text, (path, label)


@pytest.mark.django_db
def test_choosing_chinese_again_turns_english_off(desk):
    desk.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Work orders" in page_text(desk.get("/tickets/"))

    desk.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    text = page_text(desk.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "我的工单" in text and "My work orders" not in text


# --- The catalogue itself ---------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """A minimal .po reader (no polib at runtime): each entry's flags and its msgid/msgid_plural/msgstr[n]."""
    entries: list[dict] = []
    entry: dict = {}
    field = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return entries


def msgstrs(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_every_entry_is_translated_and_keeps_its_placeholders():
    entries = read_po(CATALOGUE / "django.po")
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert "fuzzy" not in header.get("flags", set())
    assert len(messages) > 800  # the whole product, not a sample

    problems = []
    for entry in messages:
        if entry.get("obsolete") or "fuzzy" in entry.get("flags", set()):
            problems.append(("obsolete or fuzzy", entry["msgid"]))
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in msgstrs(entry):
            if not text.strip():
                problems.append(("empty", entry["msgid"]))
            elif sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(("placeholders", entry["msgid"], text))
        if "msgid_plural" in entry and len(msgstrs(entry)) != 2:
            problems.append(("plural forms", entry["msgid"]))
    assert not problems, problems


def test_the_committed_mo_is_compiled_from_the_po():
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in read_po(CATALOGUE / "django.po")[1:]:
        if "msgid_plural" in entry:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            if got != [entry["msgstr[0]"], entry["msgstr[1]"]]:
                stale.append(entry["msgid"])
        elif compiled.gettext(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is out of date; run compilemessages: {stale[:5]}"
