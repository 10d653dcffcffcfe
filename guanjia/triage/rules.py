"""The rules layer: hand-written alarm signals that run after the model and may only RAISE alarms.

A rule can set urgency to emergency, request_type to help, or sensitive to True; it never lowers any label and
never changes the category (the department stays the model's choice). The patterns come from TAXONOMY.md's
definitions of emergency, help and sensitive, and run on normalised text, so traditional characters, full-width
digits and common hotline homophones are already repaired.

Edge cases:
- A signal just after a hedge ("差点摔倒", "容易绊倒", "以免着火") or a negation ("没有烟") does not fire.
- Danger rules do not fire on praise or suggestions: "电梯困人的时候保安五分钟就到了，谢谢" recalls a past
  incident. Escalation rules fire whatever the request type.
- Smoke from wiring (插座冒烟, 电线冒烟) is a dangerous installation: emergency repair, not help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .normalize import normalize

EMERGENCY = "emergency"
HELP = "help"
SENSITIVE = "sensitive"
_HEDGE_RE = re.compile(
    r"(差点|差一点|险些|容易|以免|防止|避免|小心|万一|如果|要是|假如|一旦|怕|没有|没|无|不是|不|预防)$"
)
_QUIET_TYPES = ("praise", "suggestion")  # past incidents and ideas: no danger now


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    effects: tuple[str, ...]
    unless: re.Pattern[str] | None = None  # the rule stands down when this also matches the text

    def fires(self, text: str) -> bool:
        if self.unless is not None and self.unless.search(text):
            return False
        for match in self.pattern.finditer(text):
            if not _HEDGE_RE.search(text[max(0, match.start() - 3) : match.start()]):
                return True
        return False


def _rule(name: str, pattern: str, *effects: str, unless: str | None = None) -> Rule:
    return Rule(name, re.compile(pattern), effects, re.compile(unless) if unless else None)


_WIRING = r"(电线|插座|开关|配电|电表|电箱|电缆|线路|短路|电闸|电柜)"

DANGER_RULES: tuple[Rule, ...] = (
    # Dangerous installations: emergency repair (TAXONOMY: gas smell, burst pipe, sparking wires, trapped in lift).
    _rule(
        "gas_smell",
        r"(煤气|燃气|天然气|液化气)的?(味|泄漏|漏了)|漏气|臭鸡蛋味|(燃气|煤气|天然气|液化气).{0,10}(漏|味|嘶嘶)",
        EMERGENCY,
    ),
    _rule(
        "lift_trapped",
        r"困人|困了人|困了.{0,3}(个|位|人|孩子|老人)|被困|困在|关在电梯|被关在|关在里面|"
        r"(电梯|梯).{0,20}(出不来|里面(有|的|还有)?(人|小孩|孩子|老人)|拍门|喊救命|救人)|"
        r"卡在.{0,12}(里面有|有人)|(卡|停)在.{0,4}(两层|半层|层与层)|(卡住|停住|不动)了?.{0,6}(我|人|他|她|其|孩子)在里面|电梯.{0,6}(下坠|往下掉|往上冲|冲顶|溜梯|蹲底)|"
        r"(电梯|门).{0,8}夹住了|被夹住",
        EMERGENCY,
    ),
    _rule(
        "burst_or_flood",
        r"爆管|((?<!排)(?<!下)水管|管子|管道|进水管|主水管|地暖管|暖气管|水龙头|角阀|阀门).{0,4}(爆|裂|破了|炸|崩|脱落)|"
        r"往下灌|水.{0,10}灌|灌进|倒灌|淹了|被淹|水漫|漫进|发大水|往外喷|喷水|全泡了|全是水|满地.{0,2}水|一地的?水|成了?河|"
        r"顺着灯|灯口|灯孔|像下雨|下雨一样|哗哗|顺着楼梯|(越积越深|越来越深)|(积水|水).{0,6}(半米|没过|齐腰|膝盖)",
        EMERGENCY,
        unless=r"喷灌|洒水|喷头|喷水头|喷泉|浇水",
    ),
    _rule(
        "sparking",
        rf"打火|火花|火星|放电声|在放电|{_WIRING}.{{0,12}}(冒烟|有烟|烟冒|烧|着火|着了)|{_WIRING}.{{0,10}}(噼里啪啦|噼啪|滋滋|焦)|短路|烧焦|漏电|"
        r"带电|带着电|触电",
        EMERGENCY,
    ),
    _rule(
        "building_power_cut",
        r"(整栋|整幢|全楼|整个楼|整楼|整个小区|全小区|整个单元|整片).{0,8}(停电|没电|断电|电都停|电全停|全黑|黑了|漆黑)",
        EMERGENCY,
    ),
    # Incidents putting people in danger now: help + emergency (TAXONOMY's list for help).
    _rule(
        "fire_smoke",
        r"(?<!打不)(?<!点不)着火|起火|失火|火灾(?!隐患)|火警|冒烟|浓烟|黑烟|有烟(?!头)|有点烟|(一股|有股|好多|很多|一些)烟(?!头|味)|烟很大|烟好大|全是烟(?!头)|都是烟(?!头)|冒出.{0,4}烟|烟冒出|烟雾|烧起来|冒火(?!花|星)|火苗|自燃|"
        r"119",
        EMERGENCY,
        HELP,
        unless=rf"{_WIRING}.{{0,8}}(烟|烧|冒火|着)|(冒烟|烧焦).{{0,4}}{_WIRING}",
    ),
    _rule(
        "intruder",
        r"撬(?!不).{0,10}门|撬.{0,4}锁|被撬|撬开|入室|进小偷|进了小偷|小偷.{0,4}(在|还没|刚)|翻窗|翻墙进|闯进|拿着刀|持刀|拿刀|打架|"
        r"打起来|闹事|行凶|尾随|打人|抢劫|抢包|砸车|正在偷|在偷|互砸|对砸|群殴|打群架|(拿|抡|举)着?(酒瓶|砖头|铁棍|钢管|刀)",
        EMERGENCY,
        HELP,
    ),
    _rule(
        "injury",
        r"晕倒|昏倒|晕过去|昏过去|昏迷|摔倒|跌倒|滑倒|摔伤|摔下来|摔在|摔了一跤|滚下来|流血|出血|有血|是血|受伤|骨折|"
        r"叫不醒|不省人事|抽搐|胸口疼|胸闷|倒地|倒在地上|头破|磕破|休克|没有呼吸|溺水|落水|掉进.{0,6}(水里|池|河|湖|井)|"
        r"喘不上气|喘不过气|呼吸困难|嘴唇.{0,2}(发紫|发青|发白)|瘫倒|瘫在地上",
        EMERGENCY,
        HELP,
    ),
    # Someone about to harm themselves: people on site now, and a supervisor at once.
    _rule(
        "self_harm",
        r"轻生|自杀|自尽|跳楼|想不开|(坐|站|爬)在.{0,8}(天台|楼顶|屋顶|窗台|阳台).{0,4}(边|外)",
        EMERGENCY,
        HELP,
        SENSITIVE,
    ),
    _rule(
        "animal_attack",
        r"咬人|咬伤|被(?!老鼠|虫|蚊).{0,3}咬(?!破|断|坏)|追着.{0,4}咬|(狗|犬).{0,8}(咬了|扑倒|扑人|见人就扑|追着人)",
        EMERGENCY,
        HELP,
        unless=r"蚊|虫|跳蚤|咬.{0,6}包",
    ),
    _rule(
        "missing_child",
        r"(?<!拿)走丢|走失|(孩子|小孩|儿子|女儿|娃|老人|老爷子|老太太|爸|妈|爷爷|奶奶|外公|外婆|老伴).{0,20}"
        r"(不见了|找不到|没回来|没回家|联系不上)|找不到(孩子|小孩|妈妈|爸爸|家)",
        EMERGENCY,
        HELP,
        SENSITIVE,
    ),
    _rule(
        "vulnerable_not_answering",
        r"(老人|老太太|老大爷|老爷子|老奶奶|老爷爷|独居|孤寡).{0,25}(没人应|无人应|不应门|没人开|不开门|没出门|打不通|联系不上|没动静|几天没见|好久没见|没见到人|怪味|臭味)",
        EMERGENCY,
        HELP,
        SENSITIVE,
    ),
    _rule(
        "falling_object",
        r"(外墙|墙皮|瓷砖|玻璃|窗|花盆|广告牌|招牌|空调|树枝|石头|石块|砖|水泥|板|铁皮|东西|人).{0,8}掉下来(?!的电)|从.{0,10}(掉|摔|跌)下来|"
        r"砸到|砸在|砸伤|砸中|坠落|坠物|高空抛物|摇摇欲坠|快掉下来|掉落(在|到)|随时(会|可能)?(倒|掉|塌|砸)|"
        r"(铁皮|瓷砖|玻璃|广告牌|招牌|石头|砖|水泥|板).{0,12}往下掉|刮风就晃|风吹得.{0,4}晃|"
        r"(往下扔|扔下来|抛下来).{0,6}(砸|花盆|砖|瓶|刀|东西)|"
        # Something heavy already broken loose and swinging overhead will fall next.
        r"(水泥|砖|梁|龙骨|玻璃|衣架|铁架|铁皮|招牌|广告牌|空调板|石|墙).{0,12}(吊|悬|挂)(着|在)[^，。！？]{0,8}(晃|荡)|"
        r"(一大块|半截)[^，。！？]{0,4}悬在",
        EMERGENCY,
        HELP,
    ),
    _rule("tree_down", r"树.{0,4}(倒了|刮倒|断了|压住|压在)|树.{0,3}倒(在|下)|树枝.{0,3}断|倒树", EMERGENCY, HELP),
    _rule(
        "fire_lane_blocked",
        r"(救护车|消防车|120|急救车).{0,8}(进不来|开不进|过不去|被堵|被挡|堵在)|(堵|挡)(住|死|着)?了?(救护车|消防车|急救车)",
        EMERGENCY,
        HELP,
        unless=r"真出事|万一|如果|怎么进",
    ),
)

# A person at risk, not a place ("儿童游乐区" names a playground, so 儿童 is not on the list).
_VULNERABLE = re.compile(
    r"老人|老年人|老太太|老大爷|老爷子|老奶奶|老爷爷|独居|孤寡|孩子|小孩|学生|婴儿|宝宝|孕妇|残疾|轮椅|痴呆|失智|"
    r"儿子|女儿|闺女|[七八九]十(多)?岁|[七八九]旬|高龄|心脏病|高血压"
)

ESCALATION_RULES: tuple[Rule, ...] = (
    _rule(
        "media",
        r"曝光|抖音|快手|微博|小红书|头条|记者|电视台|报社|报纸|媒体|上新闻|热搜|发到网上|发网上|网上曝|直播|朋友圈|视频号|"
        r"发帖|贴吧|论坛|留言板|人民网|公众号上发",
        SENSITIVE,
    ),
    _rule(
        "government",
        r"12345|12315|市长热线|政府.{0,4}热线|政务.{0,4}热线|住建局|住建委|房管局|房产局|城管|街道(?!上|边|旁|两|口)|"
        r"居委会|信访|上访|政府|人大代表|纪委|市监局|消协|消费者协会|监管部门|主管部门|物价局|发改委|物业协会|"
        r"报了警|已经?报警|报警了|去报警|要报警|就报警|(?<!\d)110(?!\d)|派出所|公安|总公司|集团总部|上级公司",
        SENSITIVE,
    ),
    _rule("legal", r"起诉|律师|法院|打官司|法律途径|法律程序|诉讼|仲裁|法庭|告你们", SENSITIVE),
    _rule(
        "collective",
        r"(一起|集体|联合|联名).{0,6}(投诉|反映|去|找|维权|讨|起诉|不交|签)|签名|联名|几十户|上百户|好多户|整栋楼都|"
        r"拉横幅|横幅|罢缴|罢免|换物业|换掉|重新招物业|解聘|讨说法|维权",
        SENSITIVE,
    ),
    _rule("lone_elderly", r"独居老人|孤寡老人|空巢老人", SENSITIVE),
)


def fired_rules(text: str, *, request_type: str | None = None) -> list[Rule]:
    """The rules whose signals appear in the (raw) text; danger rules stay quiet for praise and suggestions."""
    norm = normalize(text)
    if not norm:
        return []
    fired = [r for r in ESCALATION_RULES if r.fires(norm)]
    if request_type not in _QUIET_TYPES:
        danger = [r for r in DANGER_RULES if r.fires(norm)]
        if danger and _VULNERABLE.search(norm):
            danger.append(_rule("vulnerable_in_danger", _VULNERABLE.pattern, SENSITIVE))
        fired = danger + fired
    return fired


def apply_rules(text: str, labels: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Raise the model's labels where a rule fires; return (new labels, names of the rules that fired).

    ``labels`` holds request_type, urgency and sensitive (other keys pass through untouched).
    """
    fired = fired_rules(text, request_type=labels.get("request_type"))
    out = dict(labels)
    for rule in fired:
        if EMERGENCY in rule.effects:
            out["urgency"] = EMERGENCY
        if HELP in rule.effects:
            out["request_type"] = HELP
        if SENSITIVE in rule.effects:
            out["sensitive"] = True
    return out, [r.name for r in fired]
