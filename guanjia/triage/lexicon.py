"""Domain cue words: a little property-management knowledge the model can lean on for unseen phrasings.

Each category and request type gets a handful of words that name its objects or its speech act, written from
TAXONOMY.md's definitions and the trade's everyday vocabulary (not mined from the corpus). LexiconFeatures turns
them into one count-feature per list, so "马桶" points at water even in a sentence the model never saw.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

CATEGORY_CUES: dict[str, str] = {
    "water": "水管 漏水 渗水 滴水 停水 没水 下水 马桶 地漏 水龙头 水压 水表 水箱 供水 排水 堵了 堵住 疏通 化粪池 污水 爆管 "
    "淹 积水 阀门 花洒 水槽 自来水 热水 进水 返水 冒水 雨水",
    "electrical": "停电 没电 断电 跳闸 电闸 总闸 插座 开关 灯 照明 路灯 电线 电表 电工 供电 配电 电缆 短路 打火 火花 漏电 "
    "带电 灯泡 应急灯 声控 电路",
    "elevator": "电梯 轿厢 困人 被困 梯 楼层 按键 维保 年检 平层 冲顶 下坠 货梯 客梯",
    "access_control": "门禁 刷卡 门卡 对讲 可视 人脸识别 道闸 抬杆 车牌识别 闸机 监控 摄像头 门铃 开门按钮",
    "building": "墙 裂缝 开裂 墙皮 瓷砖 外墙 屋面 屋顶 天花板 渗水 窗户 门窗 玻璃 防水 门锁 防盗门 入户门 地砖 空鼓 栏杆 "
    "扶手 台阶 楼梯 发霉 保修 石膏",
    "facilities": "健身器材 器材 信报箱 长椅 座椅 秋千 滑梯 游乐 快递柜 篮球 凉亭 雨棚 充电桩 指示牌 游泳池 沙坑 设施",
    "gas_heating": "燃气 煤气 天然气 漏气 暖气 供暖 地暖 暖气片 空调 新风 冷风 制冷 采暖 燃气表 燃气灶 热水器",
    "fire_safety": "消防 着火 起火 火灾 冒烟 浓烟 烟感 灭火器 消防栓 防火门 安全出口 喷淋 疏散 消防通道 119 充电 电动车",
    "security": "小偷 被盗 偷 撬 陌生人 可疑 保安 巡逻 打架 闹事 报警 走丢 走失 监控录像 治安 翻墙 推销 安全 门岗 老人 孩子",
    "parking": "车位 停车 占用 挡 堵住 挪车 车牌 乱停 僵尸车 地锁 停车场 路边 压线 访客车",
    "noise": "噪音 吵 扰民 睡不着 声音 音响 唱歌 广场舞 半夜 凌晨 跺 拍球 喧哗 嗡嗡 练琴 喇叭",
    "pets": "狗 犬 猫 宠物 遛狗 拴绳 牵绳 狗屎 粪便 咬 叫 流浪 鸡 鸽子",
    "sanitation": "垃圾 保洁 打扫 卫生 脏 臭 异味 清运 拖地 呕吐 污渍 分类 垃圾桶 垃圾房 扫 清理 滑倒",
    "greening": "绿化 草坪 树 树枝 花 草 修剪 杂草 浇水 打药 绿地 花坛 灌木 枯",
    "pest": "老鼠 蟑螂 蚊子 苍蝇 白蚁 消杀 灭鼠 灭蚊 虫 马蜂 蜈蚣 除虫 跳蚤",
    "decoration": "装修 施工 电钻 砸墙 装修队 装修垃圾 押金 承重墙 封阳台 装修许可 工人 验收 改造",
    "neighbor": "邻居 对门 楼上 楼下 隔壁 公共走廊 楼道 杂物 占用 晾衣服 空调水 侵犯 协调 纠纷",
    "staff_conduct": "态度 客服 前台 工作人员 员工 师傅 经理 骂 不耐烦 推诿 睡觉 收费 收据 服务 迟到 管家",
    "fees": "物业费 缴费 交费 账单 发票 收据 欠费 催缴 收费 涨价 退费 公摊 管理费 财务 多收",
    "parking_rental": "租车位 车位租 租赁 续租 退租 月租 年租 租金 租约",
    "move_in_out": "入伙 交房 验房 搬家 搬进 搬出 迁入 迁出 交接 新业主 钥匙交接",
    "keys_visitors": "钥匙 备用钥匙 访客 来访 登记 放行 放行条 出入证 通行证 寄存 大件",
    "community": "活动 报名 公告 通知 业主大会 运动会 亲子 节日 游园 志愿者 活动室 邻里节",
    "general": "办公室 上班时间 值班电话 居住证明 代收 服务中心 手机号 信息变更",
}

REQUEST_CUES: dict[str, str] = {
    "repair": "坏了 修 维修 报修 不亮 失灵 没反应 故障 漏 堵 换 师傅 上门 检查 松了 裂 不转 不热 打不开",
    "complaint": "投诉 管不管 没人管 太差 扰民 到处都是 烦 受不了 不像话 凭什么 什么破 干什么吃 乱 天天 每次 又",
    "inquiry": "请问 吗 ？ ? 多少 几点 什么时候 怎么 哪里 能不能 有没有 是否 进展 处理到 咨询 想问",
    "business": "办理 申请 办 预约 登记 报名 续租 开 交一下 借 想租 手续 材料",
    "suggestion": "建议 希望 能不能 最好 提个 可以考虑 加装 增加 多放",
    "praise": "谢谢 感谢 表扬 点赞 辛苦 很好 及时 专业 耐心 暖心 赞",
    "help": "快来人 救命 紧急 报警 快来 赶紧 马上 危险 流血 受伤",
}


def _compile(cues: dict[str, str]) -> list[re.Pattern[str]]:
    return [re.compile("|".join(re.escape(w) for w in words.split())) for words in cues.values()]


class LexiconFeatures:
    """Stateless transformer: for each cue list, log(1 + number of cue hits) in the normalised text."""

    def __init__(self) -> None:
        self.patterns = _compile(CATEGORY_CUES) + _compile(REQUEST_CUES)

    def fit(self, texts: list[str], y: object = None) -> LexiconFeatures:
        return self

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        counts = np.array([[len(p.findall(t)) for p in self.patterns] for t in texts], dtype=np.float32)
        return sparse.csr_matrix(np.log1p(counts))

    def fit_transform(self, texts: list[str], y: object = None) -> sparse.csr_matrix:
        return self.transform(texts)

    def get_params(self, deep: bool = True) -> dict[str, object]:
        return {}

    def set_params(self, **params: object) -> LexiconFeatures:
        return self
