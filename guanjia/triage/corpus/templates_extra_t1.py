"""Hand-written templates for all 24 categories, in the format of templates.py: very short messages.

Each line is 4 to 15 characters, typed on a phone in a hurry ("3栋电梯又停了", "车库灯不亮", "物业费咋交"):
fragments, colloquial and regional words (屋头, 升降机, 建渣, 咋整), bare questions, one-word complaints. The
category is still decidable from the few words; a line is an emergency only when those words say danger now, and
each past or potential danger ("昨天困过人") sits beside the same danger happening now. Labels follow the labelling
guide of corpus/README.md. Plain owner voice: build.py adds the WeChat, hotline, email and front-desk styles.
"""

from __future__ import annotations

TEMPLATES_EXTRA_T1 = """
## water
rep E - | 厨房水管爆了，在喷！
rep E - | 天花板往下哗哗流水
rep E - | {b}地库在灌水！车要泡了
rep E - | 卫生间淹了，水漫出门
rep U - | 屋头没得水了，咋整
rep U - | 下水道反水，一地脏水
rep U - | 水管昨晚爆过，阀还关着
rep N - | 淋浴头接口滋水
rep N - | 水喉滴了一整夜
inq N 0 | 停水停到几点啊？
cmp U ! | 又停水？通知呢？！
cmp N ! S | 三天两头停水，我打12345了
sug P 0 | 停水能早点发通知不
pra P + | 水管修好了，谢师傅
inq N 0 | 上周报的漏水有人管没

## electrical
rep E - | 电箱冒烟了！！
rep E - | 插座在打火，有焦味
rep E - | {b}整栋黑了，全没电
rep U - | 屋里没电了，别家有
rep U - | 电闸老跳，合不上
rep N - | 插座昨天冒过火花
rep N - | 地库那排灯全灭了
rep N 0 | 楼道灯白天也亮着
rep N - | 开关按了灯不亮
cmp N - | 路灯坏了半个月了
inq N 0 | 几点来电啊？
sug P 0 | 楼道换成感应灯吧
pra P + | 电工师傅来得真快
cmp U ! S | 停电一整天！找电视台去

## elevator
rep E - | 电梯困人！快！
rep E - S | 孩子被关电梯里了
rep E - | 电梯往下溜，人在里面
rep U - | 就一部梯，还停了
rep N - | 电梯咣当咣当响
rep N - | 梯门老关不上
rep N - | 电梯上周困过我一回
rep N 0 | 升降机按键不亮
cmp N ! | 电梯又坏！第几回了
inq N 0 | 电梯啥时候修好？
sug P 0 | 电梯里装个风扇吧
pra P + | 电梯修好了，辛苦
cmp N ! S | 电梯天天坏，找住建局

## access_control
rep U - | 单元门打不开，进不去
rep U - | 门禁坏了，出不去
rep N - | 出口栏杆不起来
rep N - | 人脸刷不进
rep N 0 | 对讲没声音了
rep N - | 摄像头黑屏了
rep N - | 道闸落杆太快，差点砸人
hlp E - S | 道闸砸到小孩头了！
inq N 0 | 门卡去哪办？
biz N 0 | 门卡丢了，补一张
cmp N - | 大门常开，门禁白装
sug P 0 | 后门也装个人脸吧
pra P + | 门禁修得快，点赞
cmp N ! S | 监控坏一个月，我找街道

## building
rep N - | 客厅墙裂了道缝
rep N - | 顶楼又漏雨了
rep U - | 门锁坏了进不了门
hlp E - | 外墙砖掉了，砸到人了
hlp E - | 楼上窗框整个掉下来了
rep N - | 外墙砖松了，怕掉
rep N - | 窗户合不拢，漏风
rep N 0 | 墙皮起泡了
inq N 0 | 屋顶防水谁出钱？
cmp N ! | 漏雨报三次了！没人管
sug P 0 | 楼道墙该刷了
pra P + | 窗户修好了，谢谢
cmp N ! S | 墙裂成这样，找住建局鉴定

## facilities
rep N - | 秋千绳断了
rep N 0 | 快递柜格子弹不开
rep N - | 报箱钥匙插不进
rep N - | 会所跑步机不转了
hlp E - S | 滑梯塌了，孩子摔了！
rep N - | 滑梯上冒颗钉子
rep N - | 长椅断了条腿
rep N - | 垃圾桶盖掉了
inq N 0 | 健身房几点开？
sug P 0 | 多放几张椅子吧
pra P + | 新滑梯孩子很喜欢
cmp N - | 乒乓球台烂了没人修
cmp N ! S | 器材伤了娃，我去找媒体

## gas_heating
rep E - | 厨房一股臭鸡蛋味
rep E - | 燃气管嘶嘶响，有味
rep N - | 上周闻到过煤气味
rep U - | {b}燃气停了，灶点不着
rep N - | 暖气片冰凉的
rep N - | 空调吹的是热风
rep N - | 地暖半边不热
inq N 0 | 啥时候来暖气？
cmp N ! | 暖气还不热？交钱干啥
sug P 0 | 供暖能早几天吗
pra P + | 暖气热乎了，感谢
cmp N ! S | 暖气不热，我打市长热线

## fire_safety
hlp E - | 楼道冒烟了！
hlp E - | 对面楼着火了
hlp E - | 电瓶车起火了！
hlp E - | 楼道有焦糊味，有烟
hlp E - | 救护车进不来，消防道堵了
inq N 0 | 昨晚谁家冒烟？查了没
rep N - | 灭火器是空的
rep N - | 烟感没电了，隔会儿滴一声
cmp N - | 消防道又被三轮车占了
inq N 0 | 灭火器去哪换？
sug P 0 | 车棚装个喷淋吧
pra P + | 火灾演练挺实用，赞
cmp N ! S | 楼道堆满电瓶车，我要曝光

## security
hlp E - | 有人撬我家门！
hlp E - | 有小偷，在车库！
hlp E - S | 孩子找不到了！
hlp E - S | 独居老人敲门不应
hlp E - | 大门口有人晕倒了
hlp E - | 俩人打起来了，见血了
cmp N - | 昨晚有人撬过门
cmp N - | 电瓶被偷了
cmp N - | 陌生人挨家敲门
inq N 0 | 能查下监控吗？
sug P 0 | 夜里多巡几趟
pra P + | 保安帮我追回了包
cmp N ! S | 又被偷，我去街道反映

## parking
cmp U - | 我车被人堵死了，急
cmp N - | 我车位被占了
cmp N - | 有车压人行道
cmp N - | 单元门口停满了车
inq N 0 | 访客车停哪？
cmp N ! | 天天占我车位！烦死
sug P 0 | 地面画几条车位线吧
pra P + | 保安帮挪车，很快
cmp N - | 僵尸车停了半年
cmp N ! S | 车位天天被占，我找记者
cmp N 0 | 麻烦喊{plate}挪车
cmp U - | 有车横在车库口，出不去

## noise
cmp N - | 楼上又在蹦迪
cmp N - | 广场舞音响太炸了
cmp N - | 半夜有人唱K
cmp N ! | 楼下麻将搓到两点
cmp N - | 楼上拍球咚咚咚
cmp N - | 底商喇叭吵死了
cmp N - | 凌晨有人放鞭炮
cmp N - | 邻居洗衣机半夜转
inq N 0 | 几点后不能吵？
sug P 0 | 广场舞换个地方吧
pra P + | 谢谢帮劝楼上别吵了
cmp N ! S | 夜夜吵，我打12345了

## pets
hlp E - | 狗咬人了！快来
hlp E - S | 大狗扑孩子，快！
cmp N - | 那条狗昨天咬过人
cmp N - | 遛狗不牵绳
cmp N - | 电梯里有狗尿
cmp N - | 狗叫一整晚
cmp N - | 花坛里一堆狗粑粑
cmp N - | 楼上养鸽子一地毛
inq N 0 | 狗证在哪办？
sug P 0 | 弄个遛狗区吧
pra P + | 谢谢帮我找回猫
cmp N ! S | 恶犬没人管，我找媒体

## sanitation
cmp N - | 垃圾桶满了没人倒
cmp N - | 楼道一股尿骚味
hlp E - S | 大堂地滑，老人摔了
cmp N - | 刚拖的地太滑，差点摔
cmp N - | 电梯地上一滩呕吐物
inq N 0 | 旧沙发扔哪？
sug P 0 | 垃圾房多冲几遍
pra P + | 保洁阿姨辛苦了
cmp N ! | 垃圾堆三天了！
cmp N ! S | 垃圾臭成这样，要去12345
cmp N 0 | 门口碎玻璃请扫下
cmp N - | 小区满地烟头

## greening
hlp E - | 大树倒了压到车
hlp E - | 树枝断了，快砸下来了
cmp N - | 这棵树歪得厉害
cmp N - | 草长疯了没人剪
cmp N - | 割草机轰了一早上
inq N 0 | 啥时候修树？
sug P 0 | 多种点桂花
pra P + | 花修得真好看
cmp N - | 树挡住我家窗户
cmp N - | 有人挖小区的花
cmp N ! S | 绿地被毁，业主群联名了
cmp N - | 枯树一直没砍

## pest
cmp N - | 厨房跑耗子了
cmp N - | 蟑螂满地跑
cmp N - | 晚上蚊子咬疯了
hlp E - | 马蜂在蛰人！
cmp N - | 阳台有个马蜂窝
hlp E - S | 草丛有蛇，孩子在边上
inq N 0 | 啥时候灭蚊？
sug P 0 | 下水道口放点鼠药
pra P + | 灭鼠后清净多了
cmp N - | 白蚁飞了一屋
cmp N ! S | 老鼠成灾，要找媒体
cmp N - | 垃圾房苍蝇成堆
biz N 0 | 想领包蟑螂药

## decoration
cmp N - | 隔壁电钻响一天
cmp N - | 中午还在砸墙
biz N 0 | 办个装修许可
inq N 0 | 装修押金咋退？
cmp N - | 装修垃圾堵楼道
cmp N - | 工人乱扔建渣
hlp E - | 装修工从窗台摔了
cmp N - | 装修工差点掉下去
cmp N - | 周末还装修？
sug P 0 | 装修时间贴电梯里
pra P + | 装修验收很顺利
cmp N ! S | 天天装修，我打12345
inq N 0 | 能拆承重墙吗？
biz N 0 | 约一下装修验收

## neighbor
cmp N - | 对门占楼道放柜子
cmp N - | 楼上空调水滴我家
cmp N - | 楼上晾衣服滴水
cmp N - | 邻居门口烧香，熏人
hlp E - | 楼上扔花盆下来了！
cmp N - | 楼上老往下扔烟头
cmp N ! | 邻居堵我门口骂人
inq N 0 | 邻居占地方能管吗
sug P 0 | 楼道杂物统一清下
pra P + | 谢谢调解邻里矛盾
cmp N ! S | 邻居霸占楼道，我要起诉
cmp N - | 对门摄像头对着我家
cmp N - | 楼上往下抖床单

## staff_conduct
cmp N - | 保安玩手机不理人
cmp N ! | 客服态度太差了
cmp N - | 保洁把我纸箱拿走卖了
cmp N - | 师傅修完不收拾
cmp N - | 管家电话不接
cmp N ! S | 保安推搡我妈，我要曝光
inq N 0 | 投诉员工找谁？
sug P 0 | 保安多笑笑吧
pra P + | 小李管家太贴心了
cmp N - | 门岗大爷又睡着
cmp N - | 维修工说话带脏字
cmp N - | 前台爱答不理

## fees
inq N 0 | 物业费能微信付吗
inq N 0 | 我欠多少钱啊？
biz N 0 | 交下半年物业费
biz N 0 | 补开张收据
cmp N - | 这月账单咋多了两百
cmp N ! | 凭啥涨物业费？
cmp N ! S | 乱收费，全楼罢缴
inq N 0 | 临停怎么收费？
sug P 0 | 出个缴费小程序吧
pra P + | 财务小姐姐很耐心
inq N 0 | 发票开了没？
biz N 0 | 电子发票发我邮箱
cmp N - | 催费短信太多了

## parking_rental
biz N 0 | 想租个车位
biz N 0 | 车位续租一年
biz N 0 | 车位下月不续了
inq N 0 | 还有空车位吗
inq N 0 | 月租位啥价？
cmp N ! | 车位租金又涨？
inq N 0 | 租车位要啥材料
sug P 0 | 车位续租放到线上吧
pra P + | 车位换得很快，谢
cmp N ! S | 车位租金乱涨，我找律师
biz N 0 | 租的车位换到B2
inq N 0 | 租约到期会提醒吗

## move_in_out
biz N 0 | 下周搬家，咋预约
biz N 0 | 约个时间收房
inq N 0 | 收房带啥证件
inq N 0 | 搬家几点能进
biz N 0 | 月底搬出去，先登个记
cmp N - | 交房钥匙少一把
cmp N ! | 交房又推迟？
sug P 0 | 收房多开几个窗口
pra P + | 收房很顺利，谢谢
cmp N ! S | 延期交房，业主要集体维权
inq N 0 | 租客搬走要登记吗
biz N 0 | 退房验收约一下

## keys_visitors
biz N 0 | 登记个访客
biz N 0 | 搬沙发出门，开个条
biz U - | 锁门外了，拿备用钥匙
inq N 0 | 快递能送上楼吗
cmp N - | 钟点工被拦在大门外
inq N 0 | 访客要登记啥
sug P 0 | 访客码搞成扫码
pra P + | 放行办得很快，谢谢
biz N 0 | 搬冰箱出去要条子
inq N 0 | 外卖能进楼吗
cmp N ! | 搬个家具也拦？
biz N 0 | 工人明天进场，登记
cmp N ! S | 访客天天被刁难，我找街道

## community
inq N 0 | 中秋有活动吗
biz N 0 | 亲子那个活动报一个
inq N 0 | 业主大会几号开
cmp N - | 通知贴太晚了
sug P 0 | 多搞点老人活动
pra P + | 活动办得真好
biz N 0 | 借活动室周六用
inq N 0 | 公告在哪看？
cmp N - | 活动就那几个人玩
biz N 0 | 端午活动报俩人
inq N 0 | 电影周五放吗
cmp N ! S | 业委会选举不公示，要联名

## general
inq N 0 | 前台电话给一个
inq N 0 | 物业几点下班
biz N 0 | 要个居住证明，咋开
inq N 0 | 捡了钥匙交哪
sug P 0 | 大厅放点雨伞吧
pra P + | 物业辛苦了！
inq N 0 | 能代收快递不
biz N 0 | 改下业主手机号
inq N 0 | 能借个梯子吗
cmp N - | 反映的事没下文
inq N 0 | 附近哪有药店
cmp N ! S | 业主要联名换物业
"""
