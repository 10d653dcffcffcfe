"""The rules layer catches indirect emergencies and indirect escalation threats even when the model misses them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from guanjia.triage.rules import apply_rules
from guanjia.triage.services import triage_text


class CalmModel:
    """A stub of our model that sees nothing alarming: a normal, neutral, non-sensitive repair of a water pipe."""

    def predict(self, texts: Sequence[str]) -> list[dict[str, tuple[object, float]]]:
        labels = {"request_type": "repair", "category": "water", "urgency": "normal", "sentiment": "neutral"}
        return [{**{k: (v, 0.9) for k, v in labels.items()}, "sensitive": (False, 0.9)} for _ in texts]


calm = CalmModel()


@pytest.mark.parametrize(
    "text",
    [
        "楼道里一股煤气味",
        "厨房里燃气味好重",
        "水从天花板往下灌",
        "喂 那个 就是 我家卫生间那个 水管 好像 爆了 嗯 水一直流",
        "3栋电梯困人了",
        "電梯困人了",
        "插座冒火花了",
        "整栋楼都停电了",
        "配电箱电线冒烟，有焦糊味",
    ],
)
def test_dangerous_installations_force_emergency_but_stay_repairs(text):
    result = triage_text(text, model=calm)
    assert result.urgency == "emergency"
    assert result.request_type == "repair"


@pytest.mark.parametrize(
    "text",
    [
        "楼道里着火了",
        "楼下有户人家窗户往外冒黑烟",
        "有人在撬我家的门",
        "有人在大堂摔倒了，头在流血",
        "小区里有个孩子走丢了",
        "外墙瓷砖掉下来了，差点砸到人",
        "台风把大树刮倒了，压在路上",
        "有条大狗在花园咬人",
        "救护车进不来，消防通道被车堵死了",
        "会所游泳池有人溺水了",
        "楼道里有很浓的烧焦味，还有点烟",
        "外墙装饰线条掉落在人行道上，剩下的还在松动",
        "围墙底部开裂倾斜，随时可能倒塌",
        "空调板裂了，一大块水泥挂在上面晃",
        "楼下两伙人拿酒瓶互砸",
        "有个老人在大门口突然瘫倒了，嘴唇发紫",
        "被蜂蜇了，现在喘不上气",
    ],
)
def test_incidents_that_endanger_people_force_help_and_emergency(text):
    result = triage_text(text, model=calm)
    assert (result.request_type, result.urgency) == ("help", "emergency")


def test_a_vulnerable_person_who_does_not_answer_is_help_emergency_and_sensitive():
    result = triage_text("老人好几天没出门了敲门没人应", model=calm)
    assert (result.request_type, result.urgency, result.sensitive) == ("help", "emergency", True)
    assert "vulnerable_not_answering" in result.rules


@pytest.mark.parametrize(
    "text",
    [
        "准备一起去街道反映",
        "业主群里已经有几十户签名了",
        "我已经联系了电视台",
        "再不管我就打12345",
        "不处理我就发抖音曝光你们",
        "我们已经找了律师",
        "大家准备联名换物业",
        "这个月物业费我们整栋楼都罢缴",
        "我要打市长热线",
        "我已经向住建局反映了",
        "再这样我们就拉横幅了",
        "再不管我就打幺二三四五",  # a hotline transcript
        "我已經聯繫了電視台",  # traditional characters
    ],
)
def test_indirect_escalation_threats_force_sensitive(text):
    assert triage_text(text, model=calm).sensitive is True


@pytest.mark.parametrize(
    "text",
    ["5栋楼顶有一名男子坐在天台边缘，疑似轻生", "我儿子被狗咬了，腿上在流血", "八十岁父亲被困在电梯里，说胸闷"],
)
def test_a_life_at_risk_or_a_dependant_hurt_is_emergency_and_sensitive(text):
    result = triage_text(text, model=calm)
    assert (result.urgency, result.sensitive) == ("emergency", True)


def test_a_hotline_homophone_of_a_building_power_cut_is_still_an_emergency():
    assert triage_text("我们整栋楼都停点了 电梯也停了", model=calm).urgency == "emergency"


def test_a_child_hurt_is_sensitive():
    assert triage_text("滑梯塌了，有个孩子摔下来头破了", model=calm).sensitive is True


@pytest.mark.parametrize(
    "text",
    [
        "差点摔倒，楼道太滑了",  # a hedge: nobody fell
        "烟感报警器一直在响，家里没有烟",  # a negation
        "燃气灶打不着火",  # not a fire
        "消防通道天天被车堵着，真出事了消防车怎么进来",  # a hypothetical
        "小区长椅断了一根木条",  # 区长 inside 小区长椅 is no government office
        "儿童游乐区的滑梯有个地方破了",  # a playground is not a child at risk
        "篮球架的篮筐掉了一半，挂在上面晃",  # a light part hanging loose is a repair, not a falling slab
        "楼下那家天天拿棍子捅天花板",  # a stick against the ceiling is no armed fight
    ],
)
def test_hedges_negations_and_lookalikes_raise_no_alarm(text):
    result = triage_text(text, model=calm)
    assert (result.request_type, result.urgency, result.sensitive) == ("repair", "normal", False)


def test_praise_of_a_past_rescue_raises_no_emergency():
    labels, fired = apply_rules(
        "电梯困人的时候保安五分钟就到了，谢谢", {"request_type": "praise", "urgency": "planned", "sensitive": False}
    )
    assert labels["urgency"] == "planned" and fired == []


def test_rules_never_lower_an_alarm():
    labels, fired = apply_rules(
        "你好，请问物业费怎么交", {"request_type": "help", "urgency": "emergency", "sensitive": True}
    )
    assert labels == {"request_type": "help", "urgency": "emergency", "sensitive": True}
    assert fired == []


def test_rules_never_change_the_category():
    result = triage_text("有人在撬我家的门", model=calm)
    assert (result.category, result.department) == ("water", "engineering")


@pytest.mark.parametrize(
    "text",
    [
        "水管炸了，水喷得到处都是",
        "洗衣机进水管脱落了，满地都是水",
        "楼上的水从灯口往下淌，电视柜都泡了",
        "地下室进水了，水越来越深",
        "电梯卡在两层中间，里面有小孩",
        "货梯里困了两个人",
        "电梯门夹住了孩子的手，拔不出来",
        "配电箱在冒火星",
        "电箱里噼里啪啦响，有焦味",
        "整栋楼一下子全黑了",
        "整个单元的电都停了",
        "闻到一股液化气的味道",
        "燃气表那里有嘶嘶的声音",
    ],
)
def test_more_ways_of_saying_a_dangerous_installation(text):
    result = triage_text(text, model=calm)
    assert (result.request_type, result.urgency) == ("repair", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "老人摔在地上起不来",
        "他头上有血",
        "有人从楼梯上滚下来了",
        "我爸有老年痴呆，出门没回来",
        "老人出门散步到现在都还没回来",
        "有人在砸车窗偷东西",
        "一个男的尾随女业主进了单元",
        "大树倒在车上了",
        "有个工人从脚手架上掉下来了",
        "楼下的车库冒出很大的烟",
        "楼上扔下来一个花盆",
    ],
)
def test_more_ways_of_saying_people_are_in_danger(text):
    result = triage_text(text, model=calm)
    assert (result.request_type, result.urgency) == ("help", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "那条狗从来不咬人，就是叫得凶",  # a negation
        "楼道里堆满纸箱，要是着火了根本跑不出去",  # a hypothetical
        "游乐场的沙子里全是烟头",  # 烟头 is no smoke
        "隔壁天天半夜放电视",  # 放电视 is no electrical discharge
        "电线被老鼠咬破了，还好没通电",  # a rat bite is no animal attack
        "被蚊子咬了一身包",
        "阳台的灯泡掉下来了",  # not from height, nobody at risk
        "快递放在门口老是被拿走，丢了好几次了",  # 拿走丢了 is no child gone missing
        "货梯的门撬不开，另外大门的闸机也坏了",  # 撬不开 … 门 is no break-in
        "请问火灾隐患找哪个部门？",
    ],
)
def test_lookalikes_of_the_new_patterns_raise_no_alarm(text):
    result = triage_text(text, model=calm)
    assert (result.request_type, result.urgency) == ("repair", "normal")


@pytest.mark.parametrize(
    "text",
    [
        "我已经向区里的物业监管部门投诉了",
        "我已经打电话给消费者协会了",
        "业委会已经开会决定要重新招物业了",
        "我打了政务服务热线",
        "视频我已经发到朋友圈了",
    ],
)
def test_more_escalation_threats_force_sensitive(text):
    assert triage_text(text, model=calm).sensitive is True


@pytest.mark.parametrize("text", ["我已经报警了，你们看着办", "这事我发帖了", "我要向你们总公司投诉"])
def test_police_posts_and_head_office_are_escalations_too(text):
    assert triage_text(text, model=calm).sensitive is True


@pytest.mark.parametrize("text", ["3栋2单元1102的灯坏了", "烟感报警器一直在响，家里没有烟"])
def test_unit_numbers_and_alarm_devices_are_no_escalation(text):
    assert triage_text(text, model=calm).sensitive is False
