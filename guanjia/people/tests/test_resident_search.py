from datetime import date

import pytest

from guanjia.people.selectors import resident_search
from guanjia.people.services import name_search_keys


def names(qs):
    return sorted(r.name for r in qs)


def test_name_search_keys_give_pinyin_and_initials():
    keys = name_search_keys("陈静")
    assert (keys.pinyin, keys.initials) == ("chenjing", "cj")


@pytest.mark.django_db
def test_search_by_pinyin_initials_finds_the_resident(world):
    assert names(resident_search(user=world.wang.user, q="cj")) == ["陈静"]
    assert names(resident_search(user=world.wang.user, q="CX")) == ["陈小明"]


@pytest.mark.django_db
def test_search_by_full_pinyin_prefix(world):
    assert names(resident_search(user=world.wang.user, q="chen")) == ["陈小明", "陈静"]


@pytest.mark.django_db
def test_search_by_phone_tail_matches_last_four_digits_only(world):
    # 5678 ends 陈静's 13812345678 and 周建国's 15800005678; 陈小明's 13912340001 merely contains 1234.
    assert names(resident_search(user=world.wang.user, q="5678")) == ["周建国", "陈静"]
    assert names(resident_search(user=world.wang.user, q="1234")) == []


@pytest.mark.django_db
def test_search_by_whole_phone_number(world):
    assert names(resident_search(user=world.wang.user, q="138-1234-5678")) == ["陈静"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["3-2-1102", "3栋2单元1102", " 3-2-1102 "])
def test_search_by_unit_lists_everyone_living_there(world, typed):
    assert names(resident_search(user=world.wang.user, q=typed)) == ["陈小明", "陈静"]


@pytest.mark.django_db
def test_search_by_unit_skips_people_who_moved_out(world):
    occupancy = world.chen_member.occupancies.get()
    occupancy.moved_out_on = date(2026, 1, 1)
    occupancy.save()
    assert names(resident_search(user=world.wang.user, q="3-2-1102")) == ["陈静"]


@pytest.mark.django_db
def test_search_by_part_of_a_name(world):
    assert names(resident_search(user=world.wang.user, q="建国")) == ["周建国"]


@pytest.mark.django_db
def test_search_never_crosses_estates(world):
    # 陈国华 lives in the tower: HY's desk can't find him, the tower's desk finds only him.
    assert "陈国华" not in names(resident_search(user=world.wang.user, q="chen"))
    assert names(resident_search(user=world.zhao.user, q="chen")) == ["陈国华"]
