"""Compositional parts: per-category issues, topics and procedures, and frames that carry them.

A frame is a request-type sentence with one slot ({x}); an issue, topic or procedure fills it. build.py splits
frames AND fillers one in five into held-out, so a held-out compositional message pairs a frame never seen in
training with a filler never seen in training.

ISSUES lines: ``<request_type> <urgency> [S] | <text>`` under ``## <category>``; ``T |`` lines are topics (nouns
for praise and suggestions), ``B |`` lines are procedures (verb phrases for business and inquiries).
"""

from __future__ import annotations

ISSUES = """
## water
rep E | 水管爆了，水一直往外喷
rep E | 楼上的水顺着吊顶往下流，客厅都淹了
rep E | 主水管裂了，楼道里全是水
rep E | 热水器的进水管爆开了，屋里在发大水
rep E | 地下室水漫进来了，越来越深
rep U | 整个单元都停水了
rep U | 家里没有水了，水龙头拧开一滴都不出
rep U | 下水管堵了，污水从地漏里冒出来
rep U | 马桶堵住了，冲不下去
rep U | 厨房水槽堵死了，水积着下不去
rep N | 水龙头一直滴水关不紧
rep N | 洗手池下水很慢
rep N | 卫生间地面渗水到楼下
rep N | 水表前面的阀门漏水
rep N | 水管接头有点渗水
rep N | 热水出水特别小
rep N | 楼顶水箱溢水，一直往下淌
rep N | 自来水有股怪味
rep N | 楼下雨水井盖松了，踩上去会翻
rep N | 花洒和混水阀漏水
T | 漏水
T | 下水道疏通
T | 水管维修
T | 二次供水
T | 停水通知
T | 马桶维修

## electrical
rep E | 配电房在冒火花，还有噼啪声
rep E | 电线短路冒烟，闻到一股胶皮烧焦味
rep E | 整栋楼全部停电了，一片漆黑
rep E | 楼道电表箱在打火
rep E | 掉下来的电线还带电，有人差点踩到
rep U | 家里突然断电了，别的楼层有电
rep U | 总闸一直跳闸，推不上去
rep U | 家里一半插座和灯都没电
rep N | 楼道灯不亮了
rep N | 卫生间的灯坏了
rep N | 插座松了，插头插不稳
rep N | 楼梯间的应急灯不亮
rep N | 地库的灯一直闪
rep N | 路灯白天一直亮着，晚上反而不亮
rep N | 单元门口的照明灯坏了
rep N | 开关面板裂了
T | 路灯
T | 楼道照明
T | 停电检修
T | 供电线路
T | 跳闸的问题

## elevator
rep E | 电梯里困了人，门打不开
rep E S | 电梯停在两层中间，里面有小孩在哭
rep E | 电梯突然下坠，人被关在里面
rep E | 有人被困在电梯里出不来
rep U | 单元唯一的电梯停运了
rep U | 电梯完全坏了，一直不动
rep N | 电梯有异响，运行时抖得厉害
rep N | 电梯门夹人，感应不灵
rep N | 电梯到了楼层不开门，要按好几次
rep N | 电梯按键失灵
rep N | 电梯里的通风扇不转了
rep N | 电梯里的紧急呼叫按钮按了没反应
rep N | 电梯平层不准，进出要跨一步
rep N | 电梯轿厢里的镜子裂了
T | 电梯维保
T | 电梯
T | 电梯年检
T | 电梯故障处理

## access_control
rep U | 单元门的门禁刷不开，回不了家
rep U | 单元门禁坏了，门一直开着关不上
rep U | 小区大门的人脸识别坏了，大家都进不去
rep N | 门禁卡刷了没反应
rep N | 楼宇对讲打不通
rep N | 可视门铃没有画面
rep N | 车库道闸识别不了车牌
rep N | 人行闸机卡人
rep N | 监控摄像头歪了，拍不到门口
rep N | 门禁的开门按钮坏了，从里面出不去
rep N | 道闸杆抬起来就放不下去
rep N | 对讲机一直响个不停
T | 门禁系统
T | 车库道闸
T | 楼宇对讲
T | 监控设备

## building
rep U | 入户门锁坏了，门打不开
rep U | 窗户玻璃碎了，关不上
rep U | 下雨窗边一直进水
rep N | 墙上裂了好几道缝
rep N | 天花板掉灰，有块石膏快掉了
rep N | 外墙渗水，屋里墙皮起泡
rep N | 屋顶漏雨，天花板有水印
rep N | 地砖起拱了
rep N | 防盗门关不严
rep N | 窗户的密封胶条老化了，漏风
rep N | 阳台栏杆松动了
rep N | 墙面发霉，一大片黑斑
rep N | 楼梯台阶破损了
hlp E | 楼上外墙的装饰板掉下来了，还有几块在晃
hlp E | 阳台上的花盆被风吹掉下来了，楼下有人
T | 房屋维修
T | 外墙
T | 门窗
T | 防水
T | 墙面裂缝

## facilities
rep N | 小区的健身器材坏了
rep N | 信报箱锁坏了
rep N | 休闲椅断了
rep N | 儿童滑梯破了个洞
rep N | 秋千的绳子磨得快断了
rep N | 快递柜打不开
rep N | 篮球场的地面裂了
rep N | 凉亭的栏杆松了
rep N | 单元门口的雨棚破了
rep N | 电动车充电桩插了不充电
rep N | 垃圾亭的门关不上
rep N | 小区里的指示牌倒了
T | 健身器材
T | 儿童游乐设施
T | 信报箱
T | 休闲座椅
T | 快递柜
T | 充电桩

## gas_heating
rep E | 燃气泄漏了，满屋子都是味道
rep E | 楼道有很重的天然气味
rep E | 闻到一股煤气味，不知道哪家漏了
rep E | 燃气管子接口在漏气，能听到声音
rep U | 暖气不热，家里冷得待不住
rep U | 燃气没了，做不了饭
rep E | 地暖管爆了，地板下面在冒水
rep N | 暖气片漏水
rep N | 暖气有的热有的不热
rep N | 暖气管道里一直有咕噜咕噜的水声
rep N | 空调不制冷
rep N | 空调外机支架松了
rep N | 新风系统不出风
rep N | 燃气表显示异常
T | 供暖
T | 暖气
T | 燃气安全
T | 中央空调

## fire_safety
hlp E | 有户人家着火了，窗户里往外冒火
hlp E | 楼道里浓烟滚滚
hlp E | 车库里有车冒烟起火
hlp E | 垃圾房起火了
hlp E | 消防通道被车堵着，救护车开不进来
hlp E | 有人家的厨房着火了，火苗窜出来了
hlp E | 楼里火警铃大响，楼道里有烟
rep N | 消防栓里的水带被人拿走了
rep N | 灭火器压力不足
rep N | 应急照明灯不亮
rep N | 防火门关不上
rep N | 烟感探头一直闪红灯
rep N | 消防喷淋头在滴水
cmp N | 消防通道被杂物堵住了
cmp N | 有人把电动车停在楼道里充电
cmp N | 防火门被人用东西顶着一直开着
cmp N | 消防通道上停满了车
T | 消防设施
T | 消防通道
T | 消防演练
T | 电动车充电管理

## security
hlp E | 有人在撬门
hlp E | 家里被盗了，小偷刚跑
hlp E | 有人翻墙进了小区，正往楼里跑
hlp E S | 小孩找不到了
hlp E S | 独居的老人家里一直没人应门
hlp E S | 有个老人在路边晕倒了
hlp E | 有人打起来了，有人受伤了
hlp E | 有人拿着棍子在闹事
hlp E | 楼上有人往下扔东西，砸到人了
hlp E S | 一个孩子从单车上摔下来，头磕破了
cmp N | 有陌生人在楼道里贴小广告
cmp N | 有人在小区里推销
cmp N | 晚上有人在车库里偷东西
cmp N | 快递经常丢
cmp N | 保安巡逻看不到人
cmp N | 门岗随便放外人进来
cmp N | 有人把车上的东西偷了
cmp N | 楼道里晚上有陌生人睡觉
T | 小区治安
T | 夜间巡逻
T | 安保
T | 门岗管理

## parking
cmp U | 有车堵住了我的车，出不去
cmp N | 我的车位被人占了
cmp N | 有人乱停车，把路堵了
cmp N | 外来车辆占了业主车位
cmp N | 有车停在人行道上
cmp N | 车库里有车压线停，占两个车位
cmp N | 有辆僵尸车停了好几个月
cmp N | 有人在车位上装地锁
cmp N | 电动车乱停乱放
cmp N | 路边停满了车，会车都困难
T | 停车秩序
T | 车辆停放
T | 访客停车

## noise
cmp N | 楼上半夜有噪音
cmp N | 邻居家音响开得很大
cmp N | 楼上每天晚上跺地板
cmp N | 广场舞太吵了
cmp N | 楼下的店铺放音乐太大声
cmp N | 隔壁每天半夜打麻将，声音很大
cmp N | 小区里有人半夜大声喧哗
cmp N | 楼上天天晚上拍球
cmp N | 水泵房的声音特别大
cmp N | 有人凌晨在楼下按喇叭
T | 噪音管理
T | 广场舞音量
T | 夜间噪音

## pets
hlp E | 有狗咬人了
hlp E S | 狗把小孩扑倒咬伤了
hlp E | 一条疯狗在小区里见人就扑
cmp N | 遛狗不拴绳
cmp N | 到处都是狗粪
cmp N | 邻居的狗整夜叫
cmp N | 有人在楼道里养猫，味道很大
cmp N | 有人在小区里喂流浪猫，猫越来越多
cmp N | 大型犬在小区里乱跑
cmp N | 狗在电梯里撒尿
T | 宠物管理
T | 文明养犬
T | 流浪猫狗

## sanitation
hlp E | 有人在湿滑的地面上摔倒了，起不来
hlp E S | 一个老人在结冰的台阶上滑倒了
cmp N | 垃圾好几天没清运
cmp N | 楼道里很脏，没人打扫
cmp N | 垃圾桶臭气熏天
cmp N | 楼道里有很大的异味
cmp N | 电梯里有呕吐物没清理
cmp N | 楼下污水横流
cmp N | 单元门口堆着垃圾
cmp N | 垃圾分类没人管，混着扔
cmp N | 保洁很久没来擦扶手了
cmp N | 地下车库地面全是灰
T | 保洁
T | 垃圾清运
T | 楼道卫生
T | 垃圾分类

## greening
hlp E | 一棵大树倒了，压住了路
hlp E | 树枝断了，悬在人行道上方
cmp N | 草坪没人修剪，杂草丛生
cmp N | 树长得太高挡住阳光
cmp N | 绿化带里的花都枯死了
cmp N | 修剪下来的树枝堆在路边没人清
cmp N | 绿化打药有刺鼻的味道
cmp N | 有人把绿地挖了种菜
cmp N | 小区的树好多都死了
cmp N | 绿化喷灌一直在喷水
T | 绿化
T | 花草树木
T | 草坪修剪
T | 绿化养护

## pest
cmp N | 家里有老鼠
cmp N | 蟑螂很多
cmp N | 蚊子特别多
cmp N | 楼道里有好多白蚁
cmp N | 苍蝇成群
cmp N | 垃圾房附近老鼠乱窜
cmp N | 外墙上有个大马蜂窝
cmp N | 地下室有很多蜈蚣
T | 消杀
T | 灭鼠
T | 灭蚊
T | 除虫

## decoration
cmp N | 邻居装修太吵了
cmp N | 装修工人中午也在施工
cmp N | 装修垃圾堆在楼道里
cmp N | 有人违规装修，砸了承重墙
cmp N | 装修的粉尘飘得到处都是
cmp N | 装修工人用客梯运材料，把电梯弄脏了
cmp N | 楼上装修把我家墙震裂了
cmp N | 装修工人在楼道里抽烟
B | 办理装修许可
B | 退装修押金
B | 办装修工人出入证
B | 延长装修期
B | 申请装修验收
B | 报备装修方案
T | 装修管理
T | 装修审批

## neighbor
cmp N | 邻居占用了公共过道
cmp N | 对门在楼道里堆放杂物
cmp N | 楼上的空调滴水到我家
cmp N | 邻居在公共区域晾衣服
cmp N | 楼上花盆浇水的水流到我家阳台
cmp N | 邻居把电动车停在我家门口
cmp N | 邻居在走廊里放了个大鞋柜
cmp N | 邻居的烟味飘进我家
cmp N | 楼下在窗外搭了个雨棚，雨打上去很响
T | 邻里关系
T | 公共区域使用
T | 邻里纠纷调解

## staff_conduct
cmp N | 客服态度很差
cmp N | 保安说话很冲
cmp N | 维修师傅乱收费
cmp N | 前台工作人员爱答不理
cmp N | 维修人员迟到了两个小时
cmp N | 工作人员推诿，不愿意处理
cmp N | 保洁员把我家门口的东西扔了
cmp N | 管家电话一直打不通
cmp N | 工作人员上班玩手机
T | 服务态度
T | 工作人员
T | 客服服务

## fees
cmp N | 物业费算错了
cmp N | 账单多收了钱
cmp N | 交了钱没开收据
cmp N | 没欠费却一直被催缴
cmp N | 公摊水电费太高了
cmp N | 物业费涨价没有公示
B | 交物业费
B | 开物业费发票
B | 补开收据
B | 查询欠费
B | 办理物业费退费
B | 交停车管理费
T | 物业收费
T | 账单
T | 缴费方式

## parking_rental
B | 租车位
B | 续租车位
B | 退租车位
B | 更换租赁的车位
B | 办理月租车卡
B | 签车位租赁合同
cmp N | 车位租金涨价没通知
cmp N | 租的车位老被别人占
T | 车位租赁
T | 月租车位

## move_in_out
B | 办理入伙
B | 办理搬家手续
B | 预约搬家电梯
B | 办理房屋交接
B | 办理验房
B | 办理迁出手续
cmp N | 交房的时候发现房子有问题没人管
cmp N | 搬家手续太麻烦
T | 入伙交房
T | 搬家管理

## keys_visitors
B | 借用备用钥匙
B | 登记访客
B | 开大件物品放行条
B | 办临时出入证
B | 寄存钥匙
B | 给访客车辆登记
cmp N | 访客登记太麻烦
cmp N | 放行条开了保安还不让出
T | 访客管理
T | 物品放行
T | 钥匙寄存

## community
B | 报名社区活动
B | 报名业主运动会
B | 借用活动室
B | 报名参加亲子活动
B | 报名志愿者
cmp N | 活动通知发得太晚
cmp N | 公告贴得太少，都不知道
T | 社区活动
T | 小区公告
T | 节日活动

## general
B | 开居住证明
B | 办理业主信息变更
B | 更改预留手机号
cmp N | 物业办事效率太低
cmp N | 物业电话总是占线
T | 物业服务
T | 小区管理
"""

# One slot {x}. Keys are the request type the frame gives the message; filler kinds: I issue, T topic, B procedure.
FRAMES = """
## rep I 0
{x}，麻烦派人来看看
{u}{x}，请尽快安排师傅
你好，{x}，什么时候能来修
{t}发现{x}，能不能来处理一下
报修：{x}
师傅什么时候能来？{x}
{b}这边{x}，请派人维修
麻烦登记一下报修，{x}，我{d}都在家
请派人检查一下，{x}
您好，{u}报修，{x}
## rep I -
{x}，快点来修啊
又{x}了，上次修完没几天
{t}就{x}，到现在都没人来
{x}，烦死了，赶紧派人来
## hlp I -
快来人！{x}
{p}{x}，赶紧派人过来
紧急情况：{x}，就在{p}
{x}，在{b}楼下，快叫保安来
救命，{x}
{t}在{p}看到{x}，麻烦马上去看看
## cmp I -
{x}，{d}了都没人管
{x}，你们物业管不管？
投诉：{x}
我要投诉，{x}
{x}，希望物业尽快处理
反映个问题，{x}
{x}，这已经不是第一次了
{t}又是{x}，烦死了
{x}，跟你们说过好几次了
{b}{x}，请物业出面解决
## cmp I !
{x}！你们到底管不管！
又是{x}，物业是干什么吃的！
{x}，说了多少遍了还这样，太气人了！
## inq I 0
上周报的{x}，现在处理到哪一步了？
请问{x}这种情况找谁处理？
{x}的事情有进展吗？
之前反映过{x}，想问下处理结果
## biz B 0
我想{x}
麻烦帮我{x}，{u}
{u}要{x}，请安排一下
你好，想{x}，现在可以办吗
{t}想过来{x}
## inq B 0
请问{x}需要带什么材料？
{x}要多少钱？
{x}去哪里办？
{x}要提前几天预约？
想咨询一下怎么{x}
## pra T +
{x}方面{s}处理得很及时，谢谢
感谢{s}，{x}的事弄得很好
{x}这块最近做得不错，辛苦了
给{s}点个赞，{x}的问题解决得又快又好
## sug T 0
关于{x}，建议物业定期检查一下
建议在{x}上多下点功夫，大家都能受益
对{x}提个建议：能不能做个公示，让业主心里有数
希望{x}能做得更规范一些
"""
