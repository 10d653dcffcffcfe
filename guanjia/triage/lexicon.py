"""Domain cue words: a little property-management knowledge the model can lean on for unseen phrasings.

CATEGORY_CUES name the objects and events of each category (TAXONOMY.md's definitions and the trade's everyday
vocabulary); REQUEST_CUES are regular expressions for speech acts (asking for a repair, reproaching a delay, asking
a question, starting a procedure …). LexiconFeatures turns each list into one count feature, so "马桶" points at
water even in a sentence the model never saw.

The lists were first written from TAXONOMY.md alone, then extended while reading the errors of a template-disjoint
development split cut from the TRAINING data (see guanjia/triage/README.md); held-out messages were never read
for them. A place word is only a cue of the category it defines (电梯 for elevator, 车库 for parking; 楼道 for
none): where a problem is does not say what it is.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

CATEGORY_CUES: dict[str, str] = {
    "water": "水管 漏水 渗水 滴水 停水 没水 断水 来水 下水 马桶 坐便 蹲坑 地漏 水龙头 龙头 水压 水表 水箱 "
    "供水 排水 堵了 堵住 堵塞 疏通 化粪池 污水 粪水 爆管 淹 积水 进水 阀门 角阀 总阀 花洒 水槽 "
    "洗手盆 洗手池 洗菜盆 自来水 热水 返水 冒水 雨水 水柱 喷水 水漫 泡水 下水道 存水弯 软管 水锤 "
    "水质 发黄 沉淀 管道井 立管 排污 漏 滴答 水垢 水龙头坏 水管坏 管子 管道漏 下水慢 堵死 冲不下去 "
    "马桶堵 地漏堵 没水用 停水通知 水费单 淋浴 浴缸 洗衣机排水 排水管 雨水管 返臭 臭味上来",
    "electrical": "停电 没电 断电 来电 跳闸 电闸 总闸 空开 漏保 插座 插头 开关面板 灯 照明 路灯 电线 电表 电工 "
    "供电 配电 电缆 短路 打火 火花 火星 漏电 带电 灯泡 灯管 应急灯 声控 感应灯 电路 电箱 电表箱 "
    "浴霸 镇流器 用电 电卡 增容 线路 电灯 吸顶灯 筒灯 灯坏 不亮了 闪 跳 电压 电源 电路老化 配电柜 "
    "变压器 电缆沟 强电井 总开关 开关坏 接触不良 停电通知 充电口没电",
    "elevator": "电梯 轿厢 困人 被困 困在 关在 货梯 客梯 扶梯 维保 平层 冲顶 下坠 蹲底 电梯门 警铃 电梯厅 "
    "电梯间 楼层显示 电梯按钮 机房 年检 合格证 梯 电梯坏 电梯停 轿厢灯 门夹 关门慢 开门慢 抖 晃 "
    "异响 下沉 楼层按钮 外呼 召唤 维保单位 困梯",
    "access_control": "门禁 刷卡 门卡 对讲 可视 人脸识别 人脸 刷脸 道闸 抬杆 落杆 车牌识别 识别 闸机 监控 摄像头 "
    "探头 门铃 开门按钮 电磁锁 读卡器 门禁卡 录入 消磁 开不了门 刷不开 识别不了 车牌 门禁系统 对讲机 "
    "呼叫 闸 摄像 录像 门磁 电控锁 密码锁 手机开门",
    "building": "墙面 墙体 墙皮 墙砖 裂缝 开裂 裂了 瓷砖 外墙 屋面 屋顶 天花板 吊顶 窗户 门窗 窗框 玻璃 防水 "
    "门锁 锁芯 防盗门 入户门 地砖 空鼓 栏杆 扶手 台阶 踏步 发霉 霉 返潮 保修 石膏 起鼓 保温层 "
    "天窗 雨棚 水渍 水印 漏雨 闭门器 推拉门 飘窗 空调板 维修基金 房屋质量 墙 裂 渗 锁坏 窗 天花 "
    "顶板 楼板 地板 脱落 防水层 结露 门框 合页 铰链 把手",
    "facilities": "健身器材 器材 信报箱 报箱 长椅 座椅 休闲椅 秋千 滑梯 跷跷板 游乐 乐园 快递柜 篮球 球场 凉亭 "
    "充电桩 指示牌 路牌 游泳池 泳池 沙坑 设施 晾衣架 单车棚 车棚 宣传栏 喷泉 健身 步道 地垫 乒乓球 "
    "羽毛球 会所 格口 柜门 摇摇马 攀爬 单杠 双杠 漫步机 扭腰器 跑步机 篮球架 篮筐 围网 亭子 廊架 "
    "花架 自行车架 公告屏 饮水机 水景 遮阳 充电口 无障碍 乒乓球台 垃圾桶盖 健身区",
    "gas_heating": "燃气 煤气 天然气 液化气 漏气 暖气 供暖 采暖 地暖 暖气片 分水器 空调 新风 风机 排风 风口 冷风 制冷 制热 "
    "燃气表 燃气灶 热水器 臭鸡蛋味 点火 打不着 放气 停暖 报停 暖费 冷凝水 外机 煤气味 燃气味 暖 "
    "不热 冰凉 室温 供热 热力 暖气费 燃气公司 燃气管 燃气阀 冷凝 温控",
    "fire_safety": "消防 着火 起火 火灾 冒烟 浓烟 黑烟 烟感 灭火器 灭火 消防栓 消火栓 防火门 安全出口 喷淋 疏散 "
    "消防通道 安全通道 逃生 119 自燃 火苗 火光 烧起来 电瓶 飞线 楼道充电 消防车 卷帘 火 烟 防火 "
    "应急灯 应急照明 楼梯间堆 楼道堆 电瓶车充电 私拉电线 消防车道",
    "security": "小偷 被盗 偷 盗窃 撬 陌生人 可疑 打架 闹事 报警 走丢 走失 治安 翻墙 翻窗 推销 冒充 诈骗 骗子 醉汉 "
    "持刀 拿刀 划车 砸车 偷电 晕倒 昏迷 不省人事 失窃 偷盗 扒窃 可疑人员 尾随 溜进 混进 翻越 抢劫 抢包 外来人员 "
    "陌生男 派出所 民警 失踪 醉酒 酒鬼 划伤车",
    "parking": "车位 停车 挪车 车牌 乱停 僵尸车 地锁 停车场 压线 访客车 占位 占车位 堵车 挡住我 堵在 出不去 "
    "开不出 横在 货车 车道 通道上停 车位被占 挡路 挡车 堵路 车主 停放 地库 车库 违停 停车位",
    "noise": "噪音 吵 扰民 睡不着 音响 唱歌 唱k 广场舞 喧哗 嗡嗡 练琴 喇叭 跺 拍球 跑跳 分贝 鼓 打麻将 "
    "大喊大叫 派对 ktv 吵醒 轰轰 噪 声音大 太响 半夜 凌晨 深夜 音乐 k歌 装修外 跳绳 拖椅子 剁 "
    "麻将 吹 打鼓",
    "pets": "狗 犬 猫 宠物 遛狗 拴绳 牵绳 狗屎 狗粪 狗尿 粪便 便便 猫砂 咬人 咬伤 流浪猫 流浪狗 养鸡 "
    "鸽子 嘴套 吠 狗绳 咬 扑 叫 流浪 鹦鹉 铲屎 大型犬 烈性犬",
    "sanitation": "垃圾 保洁 打扫 卫生 脏 臭 异味 清运 拖地 呕吐 吐了 污渍 油污 分类 垃圾桶 垃圾房 垃圾站 清扫 "
    "清洁 滑倒 湿滑 尿骚 馊 纸屑 烟头 灰尘 大件家具 旧家具 床垫 回收 擦 拖 粪 油渍 泥 果皮 "
    "口香糖 淤泥 倒垃圾 分类投放 厨余 大件垃圾 回收箱 扫地 清理 打扫卫生 卫生差 保洁员",
    "greening": "绿化 草坪 树 树枝 花草 修剪 杂草 浇水 打药 绿地 花坛 灌木 枯 落叶 园林 种植 补种 樱花 月季 "
    "树根 喷灌 洒水器 草 花 剪枝 绿篱 种菜 毛毛虫",
    "pest": "老鼠 蟑螂 蚊子 苍蝇 白蚁 消杀 灭鼠 灭蚊 灭蟑 虫 马蜂 蜂窝 蜈蚣 除虫 跳蚤 蚂蚁 蛇 蛆 飞虫 "
    "粘鼠板 四害 鼠 蚊 蝇 蜂 胡蜂 孑孓 鼠药",
    "decoration": "装修 施工 电钻 砸墙 装修队 装修垃圾 押金 承重墙 封阳台 封窗 装修许可 装修工人 验收 改造 动工 "
    "进场 切割 开工 竣工 毛坯 出入证 电锯 拆墙 装修押金 装修申请 改水电 材料 水泥 瓷砖堆 违规装修 "
    "装修时间",
    "neighbor": "邻居 对门 邻里 纠纷 调解 协调 杂物 堆放 晾衣服 空调水 侵犯 隐私 公共走廊 走廊 私占 圈起来 "
    "鞋柜 油烟 抖床单 烧纸 楼上的人 楼下的人 圈占 鞋架 晾晒 烟味 摄像头对着 楼道里放 走廊里放 "
    "占着楼道 占用楼道 占用公共",
    "staff_conduct": "态度 客服 前台 工作人员 员工 经理 管家 骂 不耐烦 推诿 踢皮球 睡觉 迟到 玩手机 不理 挂电话 "
    "没人接 阴阳怪气 素质 服务礼仪 工牌 乱收费 私下收费 说话难听 凶 吼 大呼小叫 冷漠 不礼貌 没礼貌 "
    "服务态度 吵架 辱骂 抱怨 不专业 小费 红包 索要 打瞌睡 脱岗 离岗 不回 不接 挂断 一问三不知 推脱 "
    "甩锅 不认账 鞋套 换鞋 爽约 不预约 维修师傅 维修工 保洁阿姨 服务差",
    "fees": "物业费 缴费 交费 账单 发票 收据 欠费 催缴 催费 涨价 退费 公摊 管理费 财务 多收 收费标准 "
    "滞纳金 预存 代扣 托收 暖气费 水费 电费 停车费 费用 收费 少收 水电费 明细 账目",
    "parking_rental": "租车位 车位租 租.{0,4}车位 车位.{0,4}租 租赁 续租 退租 月租 年租 租金 租约 月卡 租期 "
    "车位出租 转租 租个车位 租一个车位 车位租金 车位月租 车位合同 车位押金",
    "move_in_out": "入伙 交房 收房 验房 搬家 搬进 搬出 迁入 迁出 交接 新业主 入住 过户 搬家公司 整改 搬走 租户 "
    "租客 房子卖了 退房 货梯预约",
    "keys_visitors": "钥匙 备用钥匙 访客 来访 放行 放行条 放行单 出入证 通行证 通行码 寄存 大件 家政 钟点工 保姆 "
    "亲戚 朋友来 客人 阿姨来 门岗登记 临时证 二维码 出门条 取钥匙 放钥匙 配钥匙",
    "community": "活动 报名 公告 公告栏 业主大会 运动会 亲子 节日 游园 志愿者 活动室 邻里节 义诊 体检 比赛 晚会 "
    "跳蚤市场 手工课 读书会 开放日 联欢 中秋 春节 端午 重阳 讲座 兴趣班 通知栏 电影",
    "general": "办公室 上班时间 下班 值班电话 居住证明 证明 代收 服务中心 手机号 信息变更 复印 公众号 app "
    "小程序 座谈会 便民 失物 遗失 开证明 无欠费 联系方式 联系电话 紧急联系人 业主信息 登记信息 "
    "办公时间 前台几点 物业电话 热线 投诉电话 失物招领 捡到 打印 合同 意见箱 简报 收支 公开",
}

# Speech-act cues for the request type (TAXONOMY: a repair asks for a technician; a complaint voices
# dissatisfaction with a person, a service or a condition, including a repair left undone; an inquiry asks a
# question; business starts a procedure; a suggestion proposes; praise thanks). Patterns are regular expressions.
REQUEST_CUES: dict[str, str] = {
    "repair_ask": r"报修 维修 修一下 修修 来修 能修 修好 派人 派个 派师傅 师傅 上门 检修 检查一下 看一下 看看 处理一下 "
    r"安排人 更换 换一下 换个 坏了 不亮 失灵 故障 不动 打不开 关不上 堵了 漏水 渗水",
    "delay": r"还没人 没人来 没人管 没人理 没人处理 没人修 一直没 一直拖 拖着 拖了 迟迟 石沉大海 没下文 没动静 催了 催过 "
    r"报修了 报了.{0,2}次 报修.{0,4}(天|周|星期|礼拜|月)了 (天|周|星期|礼拜|个月)了.{0,6}(还|都|也)(没|不) 多少次 好几次 "
    r"又坏 又停 修了又 还是(没|不|漏|坏) 至今 第.次",
    "blame": r"投诉 不满意 不满 太差 很差 差劲 干什么吃 摆设 敷衍 糊弄 不作为 凭什么 不像话 过分 受够 破物业 管不管 "
    r"有没有人管 谁负责 谁赔 怎么管的 交了物业费 收钱 效率 态度 踢来踢去 推来推去 形同虚设",
    "question": r"请问 吗 ？ \? 多少钱 多少 几点 什么时候 啥时候 怎么 咋 如何 哪里 哪儿 在哪 能否 是否 有没有 想问 问一下 "
    r"问下 咨询 了解一下 要不要 需不需要 收不收 可不可以 归谁 找谁",
    "progress": r"进展 进度 处理到 处理得怎么样 有结果 结果 回复 派单 还来吗 什么时候来 到哪一步",
    "business_ask": r"办理 办一下 办个 申请 预约 登记 报名 开具 开一张 开个 续租 租一个 借用 借一下 放行 交一下 缴纳 "
    r"手续 录入 开通 补办 退押金 退租",
    "suggest": r"建议 提个建议 可以考虑 是否可以考虑 增设 加装 多放 多装 多种",
    "praise": r"谢谢 谢啦 感谢 多谢 表扬 点赞 辛苦 好评 (?<!不)满意 给力 赞 及时 专业 耐心 热心 暖心 负责任 用心",
    "frustration": r"急死 烦死 没法 头疼 闹心 倒霉 着急 没办法",
}


def _compile(cues: dict[str, str], *, regex: bool = False) -> list[re.Pattern[str]]:
    """One pattern per list; longest cue first, so "跳闸" is one hit, not "跳" and then "闸"."""
    return [
        re.compile("|".join(w if regex else re.escape(w) for w in sorted(words.split(), key=len, reverse=True)))
        for words in cues.values()
    ]


# Something is broken or misbehaving. Crossed with the category cues it lets the model learn that a broken
# object is the object's category, whatever it holds or where it stands (corpus README, labelling guide rule 1):
# "垃圾桶的脚踏坏了" is facilities, not sanitation.
BROKEN = re.compile(
    r"坏了|坏掉|损坏|不亮|失灵|故障|不动|打不开|关不上|不开|合不上|断了|掉了|松了|裂了|破了|不转|不工作|没反应|"
    r"卡住|卡了|异响|噪音|声音.{0,2}大|修"
)


class LexiconFeatures:
    """Stateless transformer: for each cue list, log(1 + number of cue hits) in the normalised text.

    ``kind`` is "category" (CATEGORY_CUES, plain words) or "request" (REQUEST_CUES, regular expressions). For
    "category" each count appears twice: as is, and again only when the text says something is broken (BROKEN).
    The compiled patterns are pickled with the model, so a model always uses the lexicon it was trained with.
    """

    def __init__(self, kind: str = "category") -> None:
        self.kind = kind
        self.patterns = _compile(CATEGORY_CUES if kind == "category" else REQUEST_CUES, regex=True)
        self.crossed = kind == "category"  # pickled: a model trained before the crossing keeps its width

    @property
    def names(self) -> list[str]:
        names = list(CATEGORY_CUES if self.kind == "category" else REQUEST_CUES)[: len(self.patterns)]
        return names + [f"{n}×broken" for n in names] if getattr(self, "crossed", False) else names

    @property
    def width(self) -> int:
        return len(self.names)

    def fit(self, texts: list[str], y: object = None) -> LexiconFeatures:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        counts = np.log1p(
            np.array([[len(p.findall(t)) for p in self.patterns] for t in texts], dtype=np.float32)
        ).reshape(len(texts), len(self.patterns))
        if getattr(self, "crossed", False):
            broken = np.array([1.0 if BROKEN.search(t) else 0.0 for t in texts], dtype=np.float32)
            counts = np.hstack([counts, counts * broken[:, None]])
        return sparse.csr_matrix(counts)

    def fit_transform(self, texts: list[str], y: object = None) -> sparse.csr_matrix:
        return self.transform(texts)

    def get_params(self, deep: bool = True) -> dict[str, object]:
        return {"kind": self.kind}

    def set_params(self, **params: object) -> LexiconFeatures:
        self.__init__(**params)  # type: ignore[misc]
        return self
