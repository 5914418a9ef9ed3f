"""Chinese: jieba splits the text into words and says which are people, places and organisations; the
patterns add what has a shape (某-names, kinship and 老/小 nicknames, ages in 岁, dates in 年/月/日,
hospitals, districts, towns and villages, record and bed numbers, mobiles, ID card numbers).

Only runs of Chinese text are read here; `cases.scanner.english` reads the rest.
"""

import re
from collections import Counter

from cases.scanner import gazetteer
from cases.scanner.findings import Finding
from cases.scanner.patterns import bounded, reader
from cases.scanner.words import jieba_tokenizer, segment

HAN = r"\u4e00-\u9fff"
HAS_HAN = re.compile(f"[{HAN}]")

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈"
    "任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严"
    "欧莫孔向常汤康易乔赖文施洪牛温芦季俞章鲁葛伍申尤毕聂焦柴车褚岳齐庞翟耿殷柯单庄祝倪包左花甘关"
    "凌霍虞阮蒙谷麦颜华卜裴滕符邢缪宁路杭商骆盛饶彭冉占苗仇樊宫纪游晏舒阎邬娄鞠仲阳"
    "喻邝鲍柏房聂祁柴蒲卓蔺屈隋储桂涂詹管费卞巫钮宗尚臧甄荆靳晁佟栾郎匡揭缪闵谈柳"
)
# Rarer surnames, flagged only before a title or kin word (蓝阿公, 海老太, 羊护士).
TITLE_SURNAMES = "蓝海羊农邰符刀岩玉其那波咪"
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
)
# 老/小 + surname: only surnames that do not also start an everyday word after 老/小 (小白鼠, 小叶增生, 小程序).
NICK_SURNAMES = "曲俞鲍柏邬喻邝郝阎苗房舒聂祁柴贺龚黎王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜魏苏吕丁沈任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏邹熊孟秦邱侯尹薛闫段雷黎史陶贺毛郝顾龚邵万覃武戴严欧莫孔汤康乔赖"
SURNAME = "[" + "".join(sorted(SURNAMES)) + "]|" + "|".join(COMPOUND_SURNAMES)
KIN = "阿姨|叔叔|大爷|大妈|大娘|奶奶|爷爷|姥姥|姥爷|外婆|外公|伯伯|婆婆|阿婆|阿公|大姐|大哥|姐姐|哥哥|妹妹|弟弟|师傅|老伯|老太|嬢嬢|伯|婶|嫂|姐|哥|叔|姨"
POLITE = "女士|先生|太太|小姐|老师|同学|师傅|阿姨|叔叔|大爷|大妈|奶奶|爷爷|伯伯|婆婆"
CLINICIAN_TITLES = (
    "主任医师|副主任医师|主治医师|住院医师|主任|副主任|医生|医师|大夫|教授|副教授|护士长|护理长|护士|院长|副院长|博士|研究员|"
    "专家|药师|科长"
)
# Places jieba knows that are a province or larger, or no place at all: never identifying.
NOT_SMALL_PLACES = {
    "中国",
    "全国",
    "国内",
    "国外",
    "海外",
    "内地",
    "大陆",
    "境外",
    "中华",
    "华夏",
    "神州",
    "美国",
    "日本",
    "韩国",
    "朝鲜",
    "英国",
    "法国",
    "德国",
    "俄罗斯",
    "意大利",
    "西班牙",
    "葡萄牙",
    "荷兰",
    "瑞士",
    "瑞典",
    "挪威",
    "丹麦",
    "芬兰",
    "比利时",
    "奥地利",
    "波兰",
    "希腊",
    "土耳其",
    "以色列",
    "伊朗",
    "印度",
    "巴基斯坦",
    "泰国",
    "越南",
    "老挝",
    "缅甸",
    "柬埔寨",
    "马来西亚",
    "新加坡",
    "印尼",
    "印度尼西亚",
    "菲律宾",
    "澳大利亚",
    "新西兰",
    "加拿大",
    "墨西哥",
    "巴西",
    "阿根廷",
    "智利",
    "埃及",
    "南非",
    "尼日利亚",
    "肯尼亚",
    "欧洲",
    "亚洲",
    "非洲",
    "美洲",
    "北美",
    "南美",
    "拉美",
    "大洋洲",
    "东南亚",
    "中东",
    "欧美",
    "西方",
    "东方",
    "亚太",
    "世界",
    "全球",
    "国际",
    "华南",
    "华北",
    "华东",
    "华中",
    "华西",
    "西南",
    "西北",
    "东北",
    "东南",
    "江南",
    "江北",
    "中原",
    "岭南",
    "关中",
    "塞北",
    "长三角",
    "珠三角",
    "京津冀",
    "大湾区",
    "长江",
    "黄河",
    "珠江",
    "南方",
    "北方",
    "中部",
    "西部",
    "东部",
    "沿海",
    "内陆",
    "边疆",
    "农村",
    "城市",
    "城乡",
    "乡村",
    "山区",
    "牧区",
}
REGION_SUFFIX = re.compile("(?:地区|一带|片区)$")
PROVINCES = {
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "中国",
    "全国",
    "国内",
    "海外",
    "美国",
    "英国",
    "日本",
    "韩国",
    "德国",
    "法国",
    "意大利",
    "西班牙",
    "加拿大",
    "澳大利亚",
    "新加坡",
    "印度",
    "俄罗斯",
    "欧洲",
    "亚洲",
    "非洲",
    "美洲",
    "大陆",
    "内地",
    "华东",
    "华南",
    "华北",
    "华中",
    "西南",
    "西北",
    "东北",
    "中华",
}
PROVINCE_SUFFIX = re.compile("(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)$")
GENERIC_PLACES = {
    "本市",
    "全市",
    "该市",
    "我市",
    "城市",
    "市区",
    "社区",
    "小区",
    "城区",
    "郊区",
    "地区",
    "园区",
    "病区",
    "街道",
    "乡村",
    "农村",
    "山区",
    "县城",
    "村里",
    "镇上",
    "老家",
    "家乡",
    "当地",
    "外地",
    "本地",
    "各地",
    "病房",
    "院区",
    "院内",
    "院外",
}
ORG_PARTS = {
    "纪念",
    "第一",
    "第二",
    "第三",
    "第四",
    "第五",
    "第六",
    "第七",
    "第八",
    "第九",
    "人民",
    "中心",
    "附属",
    "中医",
    "中西医",
    "结合",
    "协和",
    "大学",
    "医科",
    "医科大学",
    "医学院",
    "儿童",
    "妇幼",
    "妇产",
    "肿瘤",
    "胸科",
    "口腔",
    "眼科",
    "传染病",
    "精神",
    "卫生",
    "保健",
    "省立",
    "市立",
    "县",
    "区",
    "军区",
    "总",
    "总医院",
    "联勤",
    "陆军",
    "海军",
    "空军",
    "军医",
    "武警",
    "第",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "附一",
    "附二",
    "附三",
    "医疗",
    "集团",
    "分院",
    "院区",
    "国际",
    "和平",
    "友谊",
    "同济",
    "齐鲁",
    "华西",
    "湘雅",
    "中山",
    "瑞金",
    "仁济",
    "华山",
    "长海",
    "长征",
    "东方",
    "红十字",
    "血液病",
    "血液",
    "联合",
    "基督教",
    "天主教",
    "浸信会",
    "慈济",
    "博爱",
    "仁爱",
    "仁安",
    "同仁",
    "养和",
    "玛丽",
}
# How the names of institutions end (a word ending so is one, with what comes before it)
INSTITUTION_ENDINGS = (
    *(
        "图书馆",
        "学会",
        "钢铁厂",
        "公司",
        "集团",
        "派出所",
        "中学",
        "小学",
        "幼儿园",
        "学校",
        "医院",
        "卫生院",
    ),
    *("保健院", "诊所", "医学中心", "医疗中心", "卫生服务中心", "卫生服务站", "附一院", "附二院", "附三院"),
    *("研究所", "研究院", "医学院", "大学", "疾控中心"),
)
PLACE_END = re.compile("(?:市|区|县|旗|镇|乡|村|屯|街道|社区|小区|花园|新村|家园|公寓|大厦)$")
GENERIC_HOSPITAL = re.compile(
    "(?:本|我|该|全|各|省|区|村|社区|大|小|中学|小学)?(?:医院|卫生院|诊所|大学|医学院|研究所|研究院|卫生服务中心)|中学教师"
)
# 县医院, 镇卫生院, 市中心医院: the hospital of a town or county the story names, which places the patient
_LOCAL_HOSPITAL = bounded(
    "[县镇乡市州](?:中心|人民|中医)?(?:医院|卫生院)|[省市]人医|(?:华西|湘雅|协和|齐鲁|瑞金|华山|仁济|同济)(?![大医路街区市县])|[省市](?:医|肿瘤|妇幼)(?=的|[，。、]|住|看|做|胸|血液|神外)"
)
ADDRESS_END = re.compile("(?:路|街|巷|弄|胡同|大道|大街)$")

_CN_NUM = "零一二两三四五六七八九十百"
_MOU = bounded(f"(?:{SURNAME})某{{1,2}}")
_POLITE_NAME = bounded(f"(?:{SURNAME})[{HAN}]{{0,2}}?(?:{POLITE})")
_KIN_NICK = bounded(
    f"(?<![{HAN}])(?:{SURNAME})(?:{KIN})|(?<=[，。、：；！？\\s“”（）和与跟及的])(?:{SURNAME})(?:{KIN})"
)
_LAO_XIAO = bounded(
    f"[老小][{NICK_SURNAMES}](?![{HAN}]{{0}}(?:年|师|时|说|学|儿|板|人|家|姐|弟|妹|朋友|鼠|区|组|伙|孩|宝|型|便|心|麦|米|肠|腿|脑|时候))"
)
_AGE = bounded(
    f"(?P<n>\\d{{1,3}}|[{_CN_NUM}]{{1,4}}) ?(?:多|余)?(?:周)?岁(?:半)?|[{_CN_NUM}]{{1,2}}旬|(?P<m>\\d{{1,2}}|[{_CN_NUM}]{{1,3}})个(?:多)?月大"
)
# 享年八十四岁, 享寿八十有四: an obituary's age
_AGE_AT_DEATH = bounded(f"享(?:年|寿|耆寿|嵩寿) ?(?P<n>\\d{{1,3}}|[{_CN_NUM}有]{{2,6}})岁?")
_AGE_COHORT_BEFORE = re.compile("(?:至|(?<!不)到|~|～|-|－|—|中位|平均|年龄段|以上|以下)\\s?$")
_AGE_COHORT_AFTER = re.compile(
    "^(?:以上|以下|以内|之间|至|到|~|～|-|－|—|左右的患者|的患者|患者|人群|以上的)"
)
_DATES = [
    bounded(
        f"(?:\\d{{4}}|[{_CN_NUM}〇]{{4}}) ?年 ?(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}}) ?月(?: ?(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}}) ?[日号])?"
    ),
    bounded(
        f"(?:去年|今年|前年|明年|当年|同年|次年)?(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:份|初|中旬|上旬|下旬|底|末|中)?(?:(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})[日号])?(?![大龄])"
    ),
    bounded("(?:上|下|本|这|那)?(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]"),
    bounded("(?:昨天|前天|昨日|前日|大前天|当天晚上|当晚|次日|翌日)|今[(（]\\d{1,2}[)）]日"),
    bounded("(?<![\\d.])(?:\\d{1,2})[日号](?![床楼病室线])"),
    # A post's time stamp ("2-13 09:18"), a day counted from treatment, a named day or solar term.
    bounded(
        "(?<![\\d-])(?:\\d{2}-)?\\d{1,2}-\\d{1,2}(?:[ \\t\u3000]{1,3}\\d{1,2}:\\d{2})?(?=[ \\t\u3000]{1,3}\\d{1,2}:\\d{2}|[ \\t\u3000]{1,3}(?:来自|更新)"
        "|[ \\t\u3000]{1,3}[\u4e00-\u9fff]{2,3}[ \\t\u3000]{1,3}回复)"
    ),
    bounded(
        f"(?:术后|回输后|输注后|入院后|出院后|治疗后|化疗后|移植后|手术后|确诊后|出生后|生后)第(?:\\d{{1,3}}|[{_CN_NUM}]{{1,4}})天"
    ),
    bounded(f"(?:世界|国际|全国)[{HAN}]{{1,6}}日|春分|立夏|夏至|立秋|秋分|立冬|冬至|惊蛰|霜降|寒露|处暑"),
]
# A holiday or season, after 去年 and the like where they stand (every branch opens with a character,
# so the engine can skip between them); a year in digits before it is read back.
_HOLIDAYS = (
    "春节|除夕|元旦|中秋节?|国庆节?|端午节?|清明节?|元宵节?|七夕|重阳节?|圣诞节?|春天|夏天|秋天|冬天|春季|夏季|秋季|冬季|年初|年底|年末"
    "|年中|过年|农历新年|新年|泼水节|藏历新年|藏历年|古尔邦节|肉孜节|开斋节|那达慕|火把节|雪顿节|三月三|中元节|腊八"
    "|母亲节|父亲节|情人节|万圣节|感恩节"
)
_HOLIDAY = bounded(
    "(?:" + "".join(f"{year}(?:{_HOLIDAYS})|" for year in ("今年", "去年", "前年", "明年")) + _HOLIDAYS + ")"
    "(?:前后|期间|前|后|的时候)?"
)
_YEAR_BEFORE = re.compile("(?:\\d{4}|[〇零一二三四五六七八九]{4})年$")
# What every short form of a hospital holds (a window without any skips the pattern)
_SHORT_HOSPITAL_CUE = re.compile("[附一二三四五六七八九]院|附医|人医|简称|俗称|又称|人称|都叫|叫它")
_PHONE = bounded(
    "(?<![\\d])(?:\\+?86[ -]?)?1[3-9]\\d(?:[ -]?\\d{4}){2}(?!\\d)|(?<![\\d])0\\d{2,3}[-－ ]?\\d{7,8}(?!\\d)|(?<![\\d])0\\d{1,2}-\\d{3,4}[ -]?\\d{4}(?!\\d)|(?<!\\d)400[- ]?\\d{3}[- ]?\\d{4}(?!\\d)"
)
_ID_CARD = bounded("(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])")
_RECORD = bounded(
    "(?:住院号|病案号|病历号|门诊号|登记号|就诊卡号|就诊号|医保卡号|社保卡号|医保号|身份证号码|身份证号|身份证|护照号|床号|病床号|患者编号|ID号|ID)"
    "(?:码)?(?:为|是)?[:：\\s]{0,3}(?P<value>[A-Za-z0-9-]{2,24})"
)
_BED = bounded(
    f"(?:[A-Za-z]?\\d{{1,4}}[A-Za-z]?|[{_CN_NUM}]{{1,4}}) ?(?:号)?(?:床|病区|病房|病室|房间|号房|诊室)|[A-Z]\\d{{1,2}}区|(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})楼(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})?[东西南北]?(?:病区|区)"
)
_ADDRESS = bounded(
    f"[{HAN}]{{1,12}}(?:路|街|巷|弄|大道|大街|胡同)(?:\\d{{1,5}}|[{_CN_NUM}]{{1,4}})号(?:院)?(?:\\d{{1,4}}(?:号楼|栋|幢|单元|室|号))*"
)


_CLINICIAN_AFTER_TITLE = bounded(
    f"(?:{CLINICIAN_TITLES}|主刀医生|治疗师|营养师|社工|网格员|民警|护理师|个管师|社工师)[：:\\s]{{0,2}}"
    f"(?P<name>(?:{SURNAME}|[{TITLE_SURNAMES}])[{HAN}]{{1,2}})"
)
_CLINICIAN_BEFORE_TITLE = bounded(
    f"(?<![主副])(?P<name>(?:{SURNAME}|[{TITLE_SURNAMES}])[{HAN}]{{0,2}}?)(?:主任|医生|医师|大夫|教授|护士长|护理长|护士|院长|主刀)"
)
_RELATIVE_NAME = bounded(
    f"(?:儿子|女儿|妻子|丈夫|爱人|老伴|母亲|父亲|妈妈|爸爸|哥哥|姐姐|弟弟|妹妹|孙子|孙女|外孙|外孙女|患者|病人|老人|患儿|家属|"
    f"邻居|同事|老同事|室友|朋友|志愿者|村民|居民|大名|名叫|叫做|姓名|本名|原名|化名|网友|病友|曾孙|孝男|孝女|孝媳|孝婿|孝孙|"
    f"长子|次子|长女|次女|儿媳|女婿|媳妇|老婆|老公)[是为叫：:\\s“]{{0,2}}(?P<name>(?:{SURNAME})[{HAN}]{{1,2}})"
)
_BYLINE = bounded(
    f"(?:记者|通讯员|实习生|编辑|责任编辑|责编|文字|文|图|摄影|摄|整理|撰稿|审核|审稿|校对|作者|来源|供稿|初审|复审|终审|签发)[\\s:：｜|/]{{1,3}}"
    f"(?P<name>[{HAN}]{{2,4}})(?:[、,，\\s]{{1,2}}(?P<name2>[{HAN}]{{2,4}}))?"
)
_HANDLE = bounded(
    "(?:微信号|微信|QQ号?|qq号?|抖音号|微博|小红书号?)[:：\\s]{0,2}(?P<value>[A-Za-z0-9_.-]{3,30})|(?<![\\d])\\d{1,4}楼[ \\t\u3000]{1,2}(?P<user>[^：:\\s\u3000]{2,16})(?:[：:]|[ \\t\u3000]{1,3}(?:发表于|IP属地))"
    f'|(?:公众号|视频号|抖音号?|快手号?|微博|小红书|B站|账号|群组|群|专页|社团)(?:[:：]\\s{{0,2}}[“「"]?|[“「"])(?P<account>[{HAN}A-Za-z0-9_]{{2,20}})'
    f"|(?<![\\w@.])@(?P<at>[{HAN}A-Za-z0-9_-]{{2,20}})"
)
_SHORT_HOSPITAL = bounded(
    f"(?<![住出入医本我该全])[{HAN}]{{1,3}}(?:附[一二三四五六七八九]院|[一二三四五六七八九]院)(?![长区])"
    f"|(?<![住出入医本我该全去到在])[{HAN}]{{1,3}}[一二三四五六七八九]?附(?:[一二三四五六七八九]|儿)?院(?![长区内外办])"
    f"|(?<![{HAN}])[{HAN}]{{2,3}}附医(?![{HAN}])|(?<![{HAN}])[省市]人医(?![{HAN}])|[去到在]?[省市]人医(?=[做看住的就])"
    f"|(?<![{HAN}])[一二三四五六七八九]院(?![长区内外办])"
    f"|(?:简称|俗称|又称|人称|都叫|叫它)[“'「]?(?P<abbr>[^”'」\\s，。]{{2,10}})[”'」]"
)
# A nickname introduced as one ("小名豆豆", "外号叫“包子”", "叫她“邹妹子”", "大家都叫她小鱼").
_NICK_INTRO = bounded(
    f'(?:小名|乳名|昵称|外号|绰号|网名|爱称)[，,]?(?:就)?(?:叫|是|为)?[“‘「"]?(?P<nick>[{HAN}]{{1,4}}?)(?=[”’」"，,。；;、！!）)\\s]|$)'
    f'|叫(?:她|他|我)[“‘「"](?P<called>[{HAN}]{{2,4}})[”’」"]'
    f"|叫(?:她|他|我)(?P<plain>[小阿老][{HAN}]|[{HAN}][姐哥])(?=[）)，,。；;！!、\\s]|$)"
    f"|(?:老板|老闆|人称|女儿|儿子|孩子|宝宝|孙子|孙女)[“「『](?P<quoted>[{HAN}]{{2,4}})[”」』]"
)
# A commenter's name at the start of a comment line, where the page has comments.
_COMMENTER = bounded(
    "(?m)^(?P<name>[^\\s：:，。、\u3000\\d｜|][^\\s：:，。、\u3000｜|]{1,11})(?:[：:](?=[^\\s\\d])|[｜|](?=[^\\s\\d]{2,6}[：:]))"
    "|回复[ \\t\u3000]{0,2}(?:#\\d{1,4}[ \\t]{1,2})?(?P<replied>[^\\s：:，。]{2,16})[：:]"
    "|^(?P<author>[^\\s：:，。]{2,20})[ \\t\u3000]*\\n?[ \\t\u3000]*发表于"
    "|(?:^|(?<=[ \\t\u3000]))(?P<donor>[^\\s：:，。]{2,16})[ \\t\u3000]{1,3}(?:捐助|支持)了"
    "|^[ \\t\u3000]{0,4}(?:[A-Z]?\\d{1,4}楼?[ \\t]{0,2}[|｜]?[ \\t]{1,2}|[★☆]{1,5}[ \\t]{1,2}|↳[ \\t]{0,2})?"
    "(?P<account>[^\\s：:，。★☆|｜【】()（）▌━]{2,16})(?:[ \\t\u3000]{1,2}Lv\\d{1,2})?[ \\t\u3000]{0,3}(?:[|｜·][ \\t\u3000]{0,3}|于[ \\t]{1,2})?"
    "\\n?[ \\t\u3000]{0,3}\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}(?![\\d-])"
    f"|^[ \\t\u3000]{{0,4}}(?:↳[ \\t]{{0,2}})?[^\\s：:，。]{{2,8}}[ \\t\u3000]{{1,2}}(?P<staff>(?:{SURNAME})[{HAN}]{{1,2}})[：:]"
    "|^(?P<poster>[^\\s：:，。]{2,16})\\n\\[关注\\]"
    "|^[ \\t\u3000]{0,4}(?:[^\\w\\s]{1,2}[ \\t\u3000]{0,2})?(?P<ip_poster>[^\\s：:，。（(]{2,20})[ \\t\u3000]{0,3}[（(]?IP[ ]?属地"
    "|^[ \\t\u3000]{0,4}\\d{1,4}楼[ \\t\u3000]{1,2}(?P<floor_user>[^\\s：:，。]{2,16})[ \\t\u3000]"
)
# "开封菊花妹 · 河南 · 6天前", "雨后的晴天 · 来自四川": a commenter, the region the site shows, and when
_DOT_COMMENTER = bounded(
    "(?m)^[ \\t\u3000]{0,4}(?P<name>[^\\s：:，。·]{2,16})[ \\t\u3000]{0,2}·[ \\t\u3000]{0,2}(?:来自)?[\u4e00-\u9fff]{2,3}"
    "(?=[ \\t\u3000]{0,2}·|[ \\t\u3000]*$|[ \\t\u3000]+\\S)"
)
_STAMP = re.compile("\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}(?:[ \\t]{1,3}\\d{1,2}:\\d{2}|[ \\t]{1,3}·)")
_NOT_COMMENTER = re.compile(
    "(?:时间|日期|电话|地址|诊断|疾病|医院|科室|患者|作者|编辑|来源|审核|回复|筹款人|收款人|方式|微信|目的|疗效|态度|链接|"
    "号|备注|说明|提示|标签|原文|简介|擅长|职称|门诊|病区|联系人|姓名|性别|年龄|主题|标题|内容|结果|备案|声明|金额|状态|动态|更新|"
    "于|使用者|匿名|编辑)$"
)
# 乐乐妈妈, 浩浩爸, 朵朵奶奶: a child's pet name and a parent; the name is flagged alone as well.
_PET_NAME_PARENT = bounded(
    f"(?P<nick>([{HAN}])\\2|[小阿][{HAN}])(?:妈妈|爸爸|妈|爸|奶奶|爷爷|姥姥|姥爷|外婆|外公|哥哥|姐姐|哥|姐)"
)
# 周*欣, 钱**, 沈＊婷: a name masked by its page, still a surname and often enough to identify.
_MASKED_NAME = bounded(f"(?:{SURNAME})(?:[*＊×Ｘ○◯]{{1,2}}[{HAN}]?|[{HAN}][*＊×Ｘ○◯])(?![*＊×Ｘ○◯])")
# 张校长, 许阿婆, 王大爷: a surname and a title or kin word.
_AMBIGUOUS_SURNAME_POLITE = bounded(f"(?<![对关由位等属至基鉴出终处用善急])[于区](?:{POLITE}|妈妈|爸爸)")
_SURNAME_TITLE = bounded(
    f"(?:{SURNAME}|[{TITLE_SURNAMES}])(?:校长|书记|老板|经理|队长|厂长|村长|支书|阿婆|阿公|阿姨|大爷|大妈|大娘|奶奶|爷爷|婆婆|老伯|老太|大姐|大哥|"
    f"妈妈|爸爸)"
)
# 小叶(叶晓雯), “阿芳”(李淑芳), 林晴(阿晴), 黄伯(黄福全): a name and the name a person goes by, one in brackets
_ALIAS = bounded(
    f"(?P<alias>[小老阿][{HAN}]{{1,2}}|[{HAN}]{{1,2}}[伯姐哥叔姨仔妹婆公]|(?<=[“「『])[{HAN}]{{2,4}}(?=[”」』]))"
    f"[”」』]?[（(](?P<name>(?:{SURNAME})[{HAN}]{{1,2}})[)）]"
    f"|(?P<full>(?:{SURNAME})[{HAN}]{{1,2}})[（(](?P<nick>[小老阿][{HAN}]{{1,2}}|[{HAN}][伯姐哥叔姨仔妹])[)）]"
)
# 十一楼B座病房, 第二医疗大楼8楼: a ward by its floor and block, a building's floor
_FLOOR_WARD = bounded(
    f"(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})[楼层][A-Za-z]?[座区]?(?:病房|病区)"
    f"|[{HAN}]{{1,6}}大楼(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})[楼层]"
)
# 依斯迈医生, 再娜博士: a name no dictionary knows (a Malay, Uyghur or Tibetan one) before a clinician's title
_UNKNOWN_BEFORE_TITLE = bounded(f"(?P<name>[{HAN}]{{2,3}})(?:医生|医师|博士|大夫|护士|药师|治疗师)")
# "8.6　入院", "8.13—9.2　细胞培养": a diary's month and day, dotted, before what happened that day
_DOTTED_DAY = bounded(
    "(?m)^[ \\t\u3000]{0,4}(?:1[0-2]|[1-9])\\.(?:[12]\\d|3[01]|[1-9])(?:[—–~-](?:1[0-2]|[1-9])\\.(?:[12]\\d|3[01]|[1-9]))?"
    f"(?=[ \\t\u3000]{{1,3}}[{HAN}])(?![ \\t\u3000]{{1,3}}[万亿千百])"
    "|(?<=编辑于|发布于|发表于)[ \\t]?(?:1[0-2]|0?[1-9])-(?:[12]\\d|3[01]|0?[1-9])(?![\\d-])"
)
# 内科病房B7, 病房11B的12号病床: a ward's code after the word
_WARD_CODE = bounded("病房(?:[A-Z]\\d{1,2}|\\d{1,2}[A-Z])(?:的\\d{1,3}号病床)?")
NOT_NAME_BEFORE_TITLE = set("族疆科诊见室区部组队院")  # 维吾尔族医生, 援疆医生, 内二科医生
# 护士小温, 同事老韦: 小 or 老 and a surname after a role
_ROLE_NICK = bounded(f"(?<=护士|护工|医生|社工|同事|师傅|老师|阿姨)[小老](?:{SURNAME})(?!时|的|们|孩|朋友)")
# 老师姓龙: a surname given alone
_SURNAME_ALONE = bounded(f"(?<=[姓])(?:{SURNAME})(?![名氏别])")
# 今年五十六了, 刚满八个月: an age with no 岁
_AGE_WITHOUT_SUI = bounded(
    f"(?<=今年)(?:已经|都|才)?(?:\\d{{2}}|[{_CN_NUM}]{{2,4}})(?=了)|(?<=满)(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})个(?:多)?月"
)
# 阿明, 阿芬: 阿 and a character that make no word (阿姨 and 阿婆 are words).
_A_NAME = bounded(f"阿[{HAN}]")
# Kelly媽咪_TKO, 小鹿_HK: a user name that joins Chinese and Latin with "_"
_MIXED_HANDLE = bounded(f"(?<![\\w])[{HAN}A-Za-z0-9]{{1,16}}_[{HAN}A-Za-z0-9]{{1,16}}")
# 坤叔, 芳姐, 德姐: a character of a given name and a kin word, together no word (found by the kin word)
_KIN_AFTER_NAME = bounded("[叔姐哥嫂婶](?<=[\u4e00-\u9fff][叔姐哥嫂婶])")
# 阿Ken, 阿May姐姐: 阿 and an English name
_A_ENGLISH_NAME = bounded(
    "阿[A-Z][A-Za-z]{1,10}(?:姐姐|哥哥|姐|哥)?|(?P<en>[A-Z][a-z]{1,10})(?:姑娘|姐姐|哥哥)"
)
# 孝男:志明、志强 — an obituary's list of the family, by their given names
_FAMILY_LIST = bounded(
    "(?m)(?:孝男|孝女|孝孙女|孝孙|孝媳|孝婿|曾孙女|曾孙|外孙女|外孙|孝侄|义子|义女)[:：\\s]{1,2}(?P<names>[^\\n]{2,80})"
)
_LIST_ITEM = re.compile(f"[{HAN}]{{2,3}}|[A-Z][a-z]+(?: [A-Z][a-z]+){{0,3}}")
# 湘E·3B27X: a Chinese number plate
_PLATE = bounded(
    "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·・.\\s]?[A-Z0-9]{5,6}(?![A-Za-z0-9])"
)
# 邮编：264200, 三年级二班, 初二（3）班
# 电话：(04)2205-3366, 热线 2961 8989: any number given as a telephone number
_PHONE_AFTER_CUE = bounded(
    "(?:电话|热线|专线|座机|手机|分机|电話|Tel|TEL|致电|联络|联系|查询|联络人|联系人|专员)"
    "[:：\\s]{0,3}(?:[\u4e00-\u9fff]{2,4}[ \\t]{0,2})?(?P<value>[(（+]?\\d[\\d\\s()（）-]{5,18}\\d)"
)
# 联络：林志伟 9682 4417 / 林美娟 9135 0782: eight digits in two fours (Hong Kong, Singapore, Malaysia) after
# a word for calling in the same stretch
_LOCAL_PHONE = bounded("(?<!\\d)[2-9]\\d{3}[ -]\\d{4}(?!\\d)")
_CALL_WORDS = re.compile("致电|联络|联系|查询|热线|电话|手机|总机|传真|咨询|WhatsApp|whatsapp|Tel|TEL")
_EXTENSION = bounded("分机[:：\\s]{0,2}(?P<value>\\d{3,5})")
_POSTCODE = bounded("(?:邮编|邮政编码)[:：\\s]{0,2}(?P<value>\\d{6})")
_SCHOOL_CLASS = bounded(
    "(?:[一二三四五六]年级|[初高][一二三])[一二三四五六七八九十\\d]{1,2}班|(?:[一二三四五六]年级|[初高一二三四五六])[（(]\\d{1,2}[)）]班"
    "|[大中小][一二三四五六]班|(?<!\\d)\\d{3,4}班"
)
# 天府三街, 中山路二段: a street by its number (found by the number, its name read back)
_STREET_NUMBER = bounded("[一二三四五六七八九十\\d]{1,2}(?:街|路|巷|段)(?![道头口坊上])")
_NAME_BEFORE = re.compile(f"[{HAN}]{{2,4}}$")
# 第768座, 第14巷: a block or lane by its number
_BLOCK = bounded("第\\d{1,4}(?:座|巷|栋|幢|号楼|排)")
# 拖觉镇, 曼景小学, 德光岛: a name that is no word, before a place's or a school's word (found by the word,
# the name checked before it)
_PLACE_WORD = bounded(
    "镇|乡|村|嘎查|苏木|屯|寨|岛|巴刹|小学|中学|幼儿园|中心校|渔港|码头|大排档|酒店|宾馆|饭店|茶楼|养殖场"
)
# 鍾穎芝（Cherry）: an English name in brackets after a Chinese one
_ENGLISH_NICK = bounded(f"[（(](?<=[{HAN}][（(])(?P<nick>[A-Z][a-z]{{1,12}}(?: [A-Z][a-z]{{1,12}})?)[）)]")
# 农行卡：6228 4804 8866 1273 015, 账号：1502 0215 0920 0147 833
_BANK = bounded(
    "(?:卡号?|账\\s{0,4}号|帐号|账户|户号|户口号码|账户号码|户口|户头号码|户头)[:：\\s]{0,3}(?P<value>\\d{1,4}(?:[ -]?\\d{2,4}){2,6})"
)
# 刀丽萍 1000元: a donor's name in a list of gifts
_DONOR = bounded(
    f"(?<![{HAN}])(?P<name>[{HAN}]{{2,4}})[ \\t\u3000]{{1,3}}(?:捐款|捐赠|爱心款|善款)?\\d[\\d,]*(?:\\.\\d+)?元"
)
# 出生8个月, 出生后三天: an infant's age
_INFANT_AGE = bounded(
    f"出生(?:后|才|仅|刚)?(?:约|大约)?(?:\\d{{1,2}}|[{_CN_NUM}]{{1,3}})(?:个(?:多)?月|天|周)"
)
_ESTATE = bounded(
    f"[{HAN}]{{2,6}}(?:小区|花园|苑|公寓|大厦|新村|家园|社区|街道|邨|公园|幼稚园|幼儿园)(?:[A-Za-z]?\\d{{1,4}}(?:栋|号楼|幢|单元|室|号))*|某[市区县镇乡村]"
)
_PLACE_AFTER_VERB = re.compile(
    "(?:来到|到了|赶到|回到|前往|去往|住在|家住|搬到|远在|身在|从|来|去|回|到|赴)$"
)
_LUNAR = bounded(
    "(?:今年|去年|明年)?(?:正月|腊月|冬月|[一二三四五六七八九十]{1,2}月)(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)|(?:上|下|这|本)个月"
    "|(?:今年|去年|前年|明年)(?:正月|腊月|冬月)|(?:本|上|下)月(?:底|初|中旬|上旬|下旬)|(?:本月|上月|下月|当月)(?:\\d{1,2}|[一二三四五六七八九十]{1,3})[日号]"
    "|\\d{4}年(?:正月|腊月|冬月)"
)
NAME_END_TRIM = set("和说在是的为也就等了与及主一把被向对给让带送讲称表示介绍指出认为提醒")
NOT_NICKNAMES = {
    "妈妈",
    "爸爸",
    "哥哥",
    "姐姐",
    "弟弟",
    "妹妹",
    "奶奶",
    "爷爷",
    "宝宝",
    "常常",
    "慢慢",
    "渐渐",
    "天天",
    "刚刚",
    "看看",
    "试试",
    "谢谢",
    "星星",
    "人人",
    "个个",
    "时时",
    "往往",
    "仅仅",
    "偏偏",
    "默默",
    "悄悄",
    "静静",
    "好好",
    "稍稍",
    "轻轻",
    "紧紧",
    "年年",
    "处处",
    "样样",
    "家家",
    "事事",
    "久久",
    "统统",
    "公公",
    "婆婆",
    "叔叔",
    "舅舅",
    "伯伯",
    "姥姥",
    "太太",
    "步步",
    "声声",
    "句句",
    "滴滴",
    "点点",
    "多多",
    "早早",
    "连连",
    "隐隐",
    "微微",
    "匆匆",
    "纷纷",
    "频频",
    "暗暗",
    "深深",
    "满满",
    "大大",
    "小小",
    "高高",
}
_REDUPLICATED = bounded(
    f"(?<![{HAN}])([{HAN}])\\1(?![{HAN}])|(?<=患儿|女儿|儿子|孙子|孙女|外孙|宝宝)([{HAN}])\\2"
    f"|(?<=[“‘「（(])([{HAN}])\\3|([{HAN}])\\4(?=[”’」）)])"
)


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = dict(zip("零一二两三四五六七八九", (0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _id_card_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11]
    return number[17].upper() == check


# What every match of a pattern holds, for `_around`
_AGE_CUE = re.compile("岁|旬|月大")
_BED_CUE = re.compile("床|病区|病房|病室|房间|号房|诊室|区")
_CLASS_CUE = re.compile("班")


def _around(pattern: re.Pattern, cue: re.Pattern, text: str, before: int, after: int) -> list[re.Match]:
    """`pattern`'s matches, read only in stretches around `cue`'s (`before` characters before each, `after`
    past its end), each once: for a pattern every match of which holds the cue and which opens with what
    the engine cannot skip to (a look-behind, a class as common as Chinese text), this reads a fraction of
    the text and finds the same."""
    seen: dict[tuple[int, int], re.Match] = {}
    for c in cue.finditer(text):
        for m in pattern.finditer(text, max(0, c.start() - before), c.end() + after):
            seen.setdefault(m.span(), m)
    return [seen[span] for span in sorted(seen)]


def scan(text: str, safe: set[str]) -> list[Finding]:
    if not HAS_HAN.search(text):
        return []
    found: list[Finding] = []
    each = reader(text)

    def add(kind, start, end):
        if end > start:
            found.append(Finding(kind, text[start:end], start, end))

    for m in each(_MOU):
        add("person_name", m.start(), m.end())
    for m in each(_POLITE_NAME):
        kind = (
            "nickname"
            if re.search("(?:阿姨|叔叔|大爷|大妈|奶奶|爷爷|伯伯|婆婆)$", m.group(0))
            else "person_name"
        )
        add(kind, m.start(), m.end())
    for pattern in (_KIN_NICK, _LAO_XIAO):
        for m in each(pattern):
            add("nickname", m.start(), m.end())
    for m in _around(_AGE, _AGE_CUE, text, 8, 3):
        before, after = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 6]
        if _AGE_COHORT_BEFORE.search(before) or _AGE_COHORT_AFTER.match(after):
            continue
        value = _number(m.group("n")) if m.group("n") else 0
        add("age_over_89" if value is not None and value > 89 else "age", m.start(), m.end())
    if "享" in text:
        for m in each(_AGE_AT_DEATH):
            value = _number(m.group("n").replace("有", ""))
            add("age_over_89" if value is not None and value > 89 else "age", m.start(), m.end())
    for pattern in _DATES:
        for m in each(pattern):
            add("date", m.start(), m.end())
    for m in each(_HOLIDAY):
        year = _YEAR_BEFORE.search(text, max(0, m.start() - 5), m.start())
        add("date", year.start() if year else m.start(), m.end())
    for m in each(_PHONE):
        add("phone", m.start(), m.end())
    for m in each(_ID_CARD):
        if _id_card_ok(m.group(0)) or re.search("身份证", text[max(0, m.start() - 10) : m.start()]):
            add("id_number", m.start(), m.end())
    for m in each(_RECORD):
        add("id_number", m.start("value"), m.end("value"))
    for m in _around(_BED, _BED_CUE, text, 10, 2):
        add("id_number", m.start(), m.end())
    for m in each(_ADDRESS):
        add("address", *_trim_lead(text, m.start(), m.end()))
    for m in each(_ESTATE):
        add("place", *_trim_lead(text, m.start(), m.end()))
    for m in each(_LUNAR):
        add("date", m.start(), m.end())
    for pattern, kind in (
        (_CLINICIAN_AFTER_TITLE, "clinician_name"),
        (_CLINICIAN_BEFORE_TITLE, "clinician_name"),
        (_RELATIVE_NAME, "person_name"),
        (_BYLINE, "person_name"),
    ):
        for m in each(pattern):
            for group in ("name", "name2"):
                if group in pattern.groupindex and m.group(group):
                    start, end = m.start(group), m.end(group)
                    while end - start > 2 and text[end - 1] in NAME_END_TRIM:
                        end -= 1
                    if pattern is _CLINICIAN_BEFORE_TITLE and end - start == 1:
                        end = m.end()  # 王主任, 段医生: the surname and title together
                    add(kind, start, end)
    for m in each(_HANDLE):
        group = next(g for g in ("value", "user", "account", "at") if m.group(g))
        add("url", m.start(group), m.end(group))
    for m in _around(_SHORT_HOSPITAL, _SHORT_HOSPITAL_CUE, text, 4, 21):
        group = "abbr" if m.group("abbr") else 0
        add("hospital", m.start(group), m.end(group))
    for m in each(_NICK_INTRO):
        group = next(g for g in ("nick", "called", "plain", "quoted") if m.group(g))
        if len(m.group(group)) >= 2:
            add("nickname", m.start(group), m.end(group))
    cues = (
        "留言",
        "评论",
        "回复",
        "[关注]",
        "｜",
        "IP属地",
        "IP 属地",
        "发表于",
        "捐助了",
        "支持了",
    )
    if any(cue in text for cue in cues) or _STAMP.search(text):
        for m in each(_COMMENTER):
            group = next(
                g
                for g in (
                    "name",
                    "replied",
                    "poster",
                    "ip_poster",
                    "floor_user",
                    "author",
                    "donor",
                    "account",
                    "staff",
                )
                if m.group(g)
            )
            if not _NOT_COMMENTER.search(m.group(group)) and m.group(group) not in safe:
                add("url", m.start(group), m.end(group))
    for m in each(_DOT_COMMENTER) if "·" in text else ():
        if not _NOT_COMMENTER.search(m.group("name")) and m.group("name") not in safe:
            add("url", m.start("name"), m.end("name"))
    for m in each(_PET_NAME_PARENT):
        add("nickname", m.start(), m.end())
        add("nickname", m.start("nick"), m.end("nick"))
    for m in each(_MASKED_NAME):
        add("person_name", m.start(), m.end())
    for m in each(_AMBIGUOUS_SURNAME_POLITE):
        add("person_name", m.start(), m.end())
    for m in each(_SURNAME_TITLE):
        add("nickname", m.start(), m.end())
    tokenizer, tags = jieba_tokenizer()
    freq = tokenizer.FREQ
    for m in each(_A_NAME):
        word = m.group(0)
        named = freq.get(word, 0) == 0 or (tags.get(word, "").startswith("nr") and freq[word] <= 100)
        if named and word not in safe and word not in KIN.split("|"):
            add("nickname", m.start(), m.end())
    for m in each(_MIXED_HANDLE) if "_" in text else ():
        add("url", m.start(), m.end())
    for m in each(_KIN_AFTER_NAME):
        word = text[m.start() - 1 : m.end()]
        if freq.get(word, 0) == 0 and word[0] not in FUNCTION_CHARS | NOT_NAME_FIRST and word not in safe:
            add("nickname", m.start() - 1, m.end())
    for m in each(_A_ENGLISH_NAME):
        group = "en" if m.group("en") else 0  # Kiki姑娘: the name alone, found again wherever it stands
        add("nickname", m.start(group), m.end(group))
    for m in each(_FAMILY_LIST):
        for item in _LIST_ITEM.finditer(m.group("names")):
            add("person_name", m.start("names") + item.start(), m.start("names") + item.end())
    for m in each(_ALIAS) if "(" in text or "（" in text else ():
        for group, kind in (
            ("alias", "nickname"),
            ("name", "person_name"),
            ("full", "person_name"),
            ("nick", "nickname"),
        ):
            if m.group(group) and m.group(group) not in safe:
                add(kind, m.start(group), m.end(group))
    for m in each(_UNKNOWN_BEFORE_TITLE):
        name = m.group("name")
        if (
            freq.get(name, 0) == 0
            and len(segment(name)) == 1  # one word jieba found for itself, not 抽血 + 后
            and not FUNCTION_CHARS & set(name)
            and name[0] not in NOT_NAME_FIRST
            and name[-1] not in NOT_NAME_LAST | NOT_NAME_BEFORE_TITLE
            and name not in safe
        ):
            add("clinician_name", m.start("name"), m.end("name"))
    for m in each(_LOCAL_HOSPITAL):
        add("hospital", m.start(), m.end())
    for m in each(_FLOOR_WARD):
        add("id_number", m.start(), m.end())
    for m in each(_DOTTED_DAY):
        add("date", m.start(), m.end())
    for m in each(_WARD_CODE) if "病房" in text else ():
        add("id_number", m.start(), m.end())
    for m in each(_ROLE_NICK):
        add("nickname", m.start(), m.end())
    for m in each(_SURNAME_ALONE) if "姓" in text else ():
        add("person_name", m.start(), m.end())
    for m in each(_PLATE):
        add("id_number", m.start(), m.end())
    for m in each(_PHONE_AFTER_CUE):
        if len(re.sub(r"\D", "", m.group("value"))) >= 7:
            add("phone", m.start("value"), m.end("value"))
    for m in each(_LOCAL_PHONE):
        if _CALL_WORDS.search(text, max(0, m.start() - 40), m.start()):
            add("phone", m.start(), m.end())
    for m in each(_EXTENSION):
        add("phone", m.start(), m.end())
    for m in each(_POSTCODE):
        add("place", m.start("value"), m.end("value"))
    for m in _around(_SCHOOL_CLASS, _CLASS_CUE, text, 9, 1):
        add("place", m.start(), m.end())
    for m in each(_AGE_WITHOUT_SUI):
        add("age", m.start(), m.end())
    for m in each(_INFANT_AGE):
        add("age", m.start(), m.end())
    for m in each(_REDUPLICATED):
        if m.group(0) not in NOT_NICKNAMES:
            add("nickname", m.start(), m.end())
    for m in each(_STREET_NUMBER):
        if name := _NAME_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            add("address", *_trim_lead(text, name.start(), m.end()))
    for m in each(_BLOCK):
        add("place", m.start(), m.end())
    for m in each(_PLACE_WORD):
        name = text[max(0, m.start() - 2) : m.start()]
        named = len(name) == 2 and HAS_HAN.match(name) and HAS_HAN.match(name, 1)
        if (
            named
            and freq.get(name, 0) == 0
            and not FUNCTION_CHARS & set(name)
            and name + m.group(0) not in safe
        ):
            add("place", m.start() - 2, m.end())
    for m in each(_ENGLISH_NICK):
        add("nickname", m.start("nick"), m.end("nick"))
    for m in each(_BANK):
        add("id_number", m.start("value"), m.end("value"))
    for m in each(_DONOR) if "元" in text else ():
        name = m.group("name")
        if name not in safe and (
            freq.get(name, 0) == 0 or (name[0] in SURNAMES and freq.get(name, 0) <= 100)
        ):
            add("person_name", m.start("name"), m.end("name"))
    for m in gazetteer.minority_names(text):
        if m.group(0) not in safe:
            nickname = m.start() > 0 and text[m.start() - 1] == "小"  # 小腾格尔
            start = m.start() - 1 if nickname else m.start()
            add("nickname" if nickname else _person_kind(text, start, m.end()), start, m.end())
    found += _words(text, safe)
    found += _repeated_names(text, safe)
    return found


# How words that jieba does not know but are no names start and end (我妈, 群里, 线上, 每到)
NOT_NAME_FIRST = set("我你他她它这那每哪某各该本此其多几")
NOT_NAME_LAST = set("里上下中们着过了吗呢吧啊者")
FUNCTION_CHARS = set("的了是在和与及等说也都就还又把被向对给让着过地得之其而或")
_NAME_CANDIDATE = bounded(f"(?=((?:{SURNAME})[{HAN}]{{2}}))")
# 努尔兰·别克, 热依拉·艾尼瓦尔: a name written with a middle dot (Uyghur, Kazakh, foreign names)
_DOTTED_NAME = bounded(f"[{HAN}]{{2,8}}[·•・‧][{HAN}]{{2,8}}")
# 妈妈娜朵, 十岁的扎约: a name with no Han surname, after a kin word or an age, that is no word
_KIN_THEN_NAME = bounded(
    f"(?:妈妈|爸爸|母亲|父亲|女儿|儿子|妻子|丈夫|爱人|老伴|爷爷|奶奶|外婆|外公|哥哥|姐姐|弟弟|妹妹|孙子|孙女|岁的)"
    f"(?P<name>[{HAN}]{{2,3}})"
)
_NAME_CUE = bounded(
    f"(?:我叫|名叫|叫做|名字叫|姓名|发起人|联系人|收款人|求助人|受助人|患者|病人|家属|监护人|捐赠者|捐助人)"
    f"[:：\\s]{{0,2}}(?P<name>(?:{SURNAME})[{HAN}]{{1,2}})(?![{HAN}]{{2}})"
)


# 小雨萱 ... 小雨萱: 小 and two characters that make no word, again and again: a child's pet name
_LITTLE_NAME = bounded(f"小(?:[{HAN}]{{2}})")
# 秘书长宝音图, 村支书邰正华, 负责人：农晓慧: a name after a role
_NAME_AFTER_ROLE = bounded(
    f"(?:秘书长|负责人|书记|支书|会长|理事长|主席|班长|班主任|校长|站长|所长|部长|处长|局长|干事|队长|村医|组长|"
    f"经办人|主编|社工|联系人|老师|教练|民警|辅警|警官|小组长|护士|护工|志愿者|村民|司机)[：:\\s]{{0,2}}"
    f"(?P<name>(?:{SURNAME}|[{TITLE_SURNAMES}])[{HAN}]{{1,2}})"
)


# "、陆家豪、", "(李淑芳)", "编导：郑家俊 ·": a surname and one to three characters set apart by list marks,
# brackets or a label's colon, that make no word: in a list of people, a name
_SET_APART = bounded(
    f"(?:(?<=[、，,：:/／（(「“·\\s])|^)(?P<name>(?:{SURNAME})[{HAN}]{{1,3}})(?=[、，,）)」”/／·\\s]|$)"
)


def _repeated_names(text: str, safe: set[str]) -> list[Finding]:
    """A surname and two characters that stand again and again but are no word ("俞保平" ... "俞保平"),
    and a name after a form's label ("发起人：周建军", "我叫周建军"). Unknown words that recur in one
    story are its people far more often than anything else."""
    tokenizer, tags = jieba_tokenizer()
    counts: dict[str, list[int]] = {}
    for m in _NAME_CANDIDATE.finditer(text):
        counts.setdefault(m.group(1), []).append(m.start())
    freq = tokenizer.FREQ

    def no_word(name: str) -> bool:
        return freq.get(name, 0) == 0 and freq.get(name[:2], 0) <= 50 and name not in safe

    found = []
    for name, starts in counts.items():
        if (
            len(starts) < 2
            or not no_word(name)
            or FUNCTION_CHARS & set(name[1:])
            or freq.get(name[1:], 0) > 2000
        ):
            continue
        found += [
            Finding(_person_kind(text, s, s + 3), name, s, s + 3)
            for s in starts
            if not (s and freq.get(text[s - 1 : s + 1], 0) > 50)  # 主任医师 is no 任医师
        ]
    for m in _SET_APART.finditer(text):
        name = m.group("name")
        if (
            no_word(name)
            and not FUNCTION_CHARS & set(name[1:])
            and freq.get(name[1:], 0) <= 2000
            and (len(name) < 4 or name[1] in SURNAMES)  # 陈林秀琴: a married name
            and not any(tags.get(w) in NOT_GIVEN_TAGS for w in segment(name[1:], hmm=False))
        ):
            found.append(Finding(_person_kind(text, m.start(), m.end()), name, m.start(), m.end()))
    for m in _DOTTED_NAME.finditer(text):
        found.append(Finding("person_name", m.group(0), m.start(), m.end()))
    for m in _KIN_THEN_NAME.finditer(text):
        name, at = m.group("name"), m.start("name")
        for size in (3, 2):  # the longest stretch that is no word and does not end on a word's start
            candidate, last = name[:size], text[at + size - 1 : at + size + 1]
            if len(candidate) < size or FUNCTION_CHARS & set(candidate) or not no_word(candidate):
                continue
            if size == 2 or (freq.get(candidate[2], 0) < 5000 and freq.get(last, 0) <= 50):
                found.append(Finding("person_name", candidate, at, at + size))
                break
    for m in _NAME_CUE.finditer(text):
        alone = not HAS_HAN.match(text, m.end("name"))  # "发起人：刘海军（患者父亲）"
        if alone or no_word(m.group("name")):
            found.append(Finding("person_name", m.group("name"), m.start("name"), m.end("name")))
    little: dict[str, list[int]] = {}
    for m in _LITTLE_NAME.finditer(text):
        little.setdefault(m.group(0), []).append(m.start())
    for name, starts in little.items():
        if len(starts) >= 2 and freq.get(name[1:], 0) == 0 and freq.get(name, 0) == 0 and name not in safe:
            found += [Finding("nickname", name, s, s + 3) for s in starts]
    for m in _NAME_AFTER_ROLE.finditer(text):
        name = m.group("name")
        if name not in safe and (no_word(name) or not HAS_HAN.match(text, m.end("name"))):
            found.append(Finding("person_name", name, m.start("name"), m.end("name")))
    return found


def _trim_lead(text: str, start: int, end: int) -> tuple[int, int]:
    """An address starts after the last verb or preposition before it (住在, 位于, 家住)."""
    cut = max((m.end() for m in re.finditer("[住在于到从往至和及与是的]", text[start:end])), default=0)
    road = re.search("(?:路|街|巷|弄|大道|大街|胡同)", text[start:end])
    if road and cut >= road.start():
        cut = 0
    return start + cut, end


def _han(word: str) -> bool:
    """Whether `word` holds a Chinese character (a jieba token is most often all Chinese or none)."""
    return "\u4e00" <= word[0] <= "\u9fff" or bool(HAS_HAN.search(word))


def _words(text: str, safe: set[str]) -> list[Finding]:
    """People, places and organisations by jieba's dictionary and its word discovery."""
    tokenizer, tags = jieba_tokenizer()
    found: list[Finding] = []
    tokens, pos = [], 0
    for word in segment(text):
        # jieba's FREQ also holds every prefix of a word, at 0: only a count says the word is known.
        tokens.append((word, pos, tags.get(word), tokenizer.FREQ.get(word, 0) > 0))
        pos += len(word)
    full_places, short_places = gazetteer.places()
    place_starts = gazetteer.name_starts()
    unknown = Counter(
        word for word, _, _, known in tokens if not known and 2 <= len(word) <= 4 and _han(word)
    )
    for i, (word, start, tag, known) in enumerate(tokens):
        end = start + len(word)
        if not _han(word) or word in safe:
            continue
        pieces = word + tokens[i + 1][0] if i + 1 < len(tokens) else ""
        known_place = word in full_places or word in short_places
        if (known_place and (place := _known_place(text, tokens[i], tokenizer))) or (
            pieces in place_starts and (place := _known_place_in_pieces(tokens, i))
        ):
            found.append(place)
            continue
        if len(word) == 1 and word not in SURNAMES and tag != "nt" and not word.endswith(INSTITUTION_ENDINGS):
            continue  # a single character is a name only as a surname, an organisation only as its end
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and (
            joined := _joined_name_or_place(text, tokens[i], following, tokenizer, safe)
        ):
            found.append(joined)
            continue
        if word.endswith(INSTITUTION_ENDINGS) or tag == "nt":
            first = i
            while first > 0 and _org_part(tokens[first - 1], safe):
                first -= 1
            if first < i or len(word) > 3 or tag == "nt":
                span = text[tokens[first][1] : end]
                if span not in safe and not GENERIC_HOSPITAL.fullmatch(span):
                    found.append(Finding("hospital", span, tokens[first][1], end))
            continue
        surnamed = word[0] in SURNAMES or word[:2] in COMPOUND_SURNAMES
        if (
            tag in ("nr", "nrfg", "nrt")
            and 2 <= len(word) <= 3
            and surnamed
            and tokenizer.FREQ.get(word, 0) <= 100
            and not re.fullmatch(f"(?:{KIN}|{POLITE})", word)
        ):
            found.append(Finding(_person_kind(text, start, end), word, start, end))
            continue
        if not known and 2 <= len(word) <= 3 and surnamed:
            found.append(Finding(_person_kind(text, start, end), word, start, end))
            continue
        if (
            unknown[word] >= 2
            and not FUNCTION_CHARS & set(word)
            and word[0] not in NOT_NAME_FIRST
            and word[-1] not in NOT_NAME_LAST
            and word not in safe
        ):
            found.append(Finding("person_name", word, start, end))  # a word no dictionary knows, again
            continue
        if (
            not known
            and len(word) == 2
            and (word[0] in "阿小" or word[-1] in "宝娃仔妞")
            and word not in ("阿姨", "小孩", "小儿")
        ):
            found.append(Finding("nickname", word, start, end))
            continue
        is_place = (
            tag == "ns"
            or (len(word) >= 3 and (PLACE_END.search(word) or ADDRESS_END.search(word)))
            or (not known and len(word) >= 2 and _PLACE_AFTER_VERB.search(text[max(0, start - 3) : start]))
        )
        if is_place and word not in GENERIC_PLACES and REGION_SUFFIX.sub("", word) not in NOT_SMALL_PLACES:
            bare = PROVINCE_SUFFIX.sub("", word)
            if word in PROVINCES or bare in PROVINCES or (PROVINCE_SUFFIX.search(word) and bare in PROVINCES):
                continue
            if len(word) < 2 or (len(word) == 2 and PLACE_END.search(word) and tag != "ns"):
                continue
            kind = "address" if ADDRESS_END.search(word) else "place"
            found.append(Finding(kind, word, start, end))
    return found


# Parts of speech of everyday words: a place's short name with one of these ("和平", "资源") needs a cue.
EVERYDAY_TAGS = {
    "v",
    "vn",
    "vd",
    "a",
    "ad",
    "an",
    "f",
    "m",
    "d",
    "b",
    "t",
    "p",
    "c",
    "l",
    "i",
    "q",
    "r",
    "u",
    "n",
}
_PLACE_CUE_BEFORE = re.compile(
    "(?:赴|到|在|回|去|往|来自|住在|家住|搬到|老家|前往|返回|离开|位于|远在|地处|从|于|是)$"
)
_PLACE_CUE_AFTER = re.compile(
    "(?:人|籍|市民|一带|附近|本地|当地|老家|话|方言|户籍|农村|乡下|市区|城区|街头|郊区|境内|一家|来的|打工|务工|读书|"
    "上学|校友|分会|老乡|口音|的医院|的家)"
)


def _known_place(text: str, token, tokenizer) -> Finding | None:
    """A city, county or district of the gazetteer, by its full name ("包头市", "琼中黎族苗族自治县") or its
    short one ("包头"): a short name that is also an everyday word ("和平", "东方") only after or before a
    place's cue ("赴包头", "琼中人")."""
    word, start, tag, _ = token
    full, short = gazetteer.places()
    if word in full and word not in PROVINCES:
        return Finding("place", word, start, start + len(word))
    if word not in short or word in PROVINCES or word in NOT_SMALL_PLACES:
        return None
    freq = tokenizer.FREQ.get(word, 0)
    sure = tag == "ns" or (tag not in EVERYDAY_TAGS and freq < 1000)
    cued = freq < 5000 and (
        _PLACE_CUE_BEFORE.search(text, max(0, start - 2), start)
        or _PLACE_CUE_AFTER.match(text, start + len(word))
    )
    return Finding("place", word, start, start + len(word)) if sure or cued else None


def _known_place_in_pieces(tokens, i: int) -> Finding | None:
    """A gazetteer's full name that jieba cut in two or three ("勿/洛", "薄扶/林")."""
    full = gazetteer.places()[0]
    name = tokens[i][0] + tokens[i + 1][0]  # the caller found it starts a place's name
    if name not in full and i + 2 < len(tokens):
        name += tokens[i + 2][0]
    if name in full and name not in PROVINCES:
        return Finding("place", name, tokens[i][1], tokens[i][1] + len(name))
    return None


GIVEN_NAME_TAGS = ("nr", "nrfg", "nrt", "nz")
MEDICAL_CHARS = set("抗疮癌瘤炎病症药素酶苷霉剂胺钠钾钙血")
# A given name holds no verb, adverb or function word (钱 + 不多, 车 + 开到 are no names)
NOT_GIVEN_TAGS = {"v", "vd", "vn", "d", "p", "c", "u", "r", "m", "q", "f", "ad", "uj", "ul", "ug", "y", "zg"}
RARE_WORD = 20  # jieba counts at or under this are words so rare a given name is likelier (李 + 淑芳)
PLACE_SUFFIXES = set("市县区乡镇村巷屯旗组弄")
NOUNISH = (None, "n", "nr", "nrfg", "nrt", "ns", "nz", "ng", "nt", "zg")


def _joined_name_or_place(text, token, following, tokenizer, safe) -> Finding | None:
    """What jieba cut in two: a surname and a given name (唐 + 小雨, 韦 + 建华), or a name and the place
    word after it (南屿 + 市, 桂花 + 村, 梧桐 + 巷)."""
    word, start, tag, known = token
    nxt, nxt_start, nxt_tag, nxt_known = following
    if not _han(nxt) or nxt in safe:
        return None
    end = nxt_start + len(nxt)
    if (
        len(word) == 1
        and word in SURNAMES
        and 1 <= len(nxt) <= 2
        and (
            nxt_tag in GIVEN_NAME_TAGS
            or (len(nxt) == 2 and (not nxt_known or tokenizer.FREQ.get(nxt, 0) <= RARE_WORD))
        )
        and not MEDICAL_CHARS & set(nxt)
        and nxt[0] not in NAME_END_TRIM
        and not re.fullmatch(f"(?:{KIN}|{POLITE}|{CLINICIAN_TITLES})", nxt)
        and tokenizer.FREQ.get(word + nxt, 0) <= 100
    ):
        return Finding(_person_kind(text, start, end), word + nxt, start, end)
    if (
        len(word) == 2
        and tag in ("nr", "nrfg")
        and word[0] in SURNAMES
        and len(nxt) == 1
        and nxt not in FUNCTION_CHARS | NAME_END_TRIM | NOT_NAME_LAST
        and nxt_tag not in ("r", "y", "p", "u", "d", "c", "q", "m", "f")
        and tokenizer.FREQ.get(nxt, 0) < 5000
        and tokenizer.FREQ.get(word + nxt, 0) == 0
        and not HAS_HAN.match(text, end)
    ):
        return Finding(_person_kind(text, start, end), word + nxt, start, end)  # 郑家 + 俊
    if (
        nxt in PLACE_SUFFIXES
        and 2 <= len(word) <= 3
        and tag in NOUNISH
        and word not in GENERIC_PLACES
        and word + nxt not in GENERIC_PLACES
        and PROVINCE_SUFFIX.sub("", word) not in PROVINCES
    ):
        return Finding("place", word + nxt, start, end)
    return None


_TITLE_AFTER = re.compile(f"(?:{CLINICIAN_TITLES})")
_TITLE_BEFORE = re.compile(f"(?:{CLINICIAN_TITLES})$")


def _person_kind(text: str, start: int, end: int) -> str:
    """A name with a clinician's title right before or after it is a clinician's."""
    titled = _TITLE_AFTER.match(text, end, end + 5) or _TITLE_BEFORE.search(text[max(0, start - 5) : start])
    return "clinician_name" if titled else "person_name"


def _org_part(token, safe: set[str]) -> bool:
    word, _, tag, _ = token
    if word in PROVINCES or word in safe:
        return True
    return bool(
        HAS_HAN.search(word)
        and (
            word in ORG_PARTS
            or tag in ("ns", "nt", "nz", "nr")
            or (tag is None and 2 <= len(word) <= 4 and not FUNCTION_CHARS & set(word))  # 慈恩 (纪念医院)
            or PLACE_END.search(word)
            or PROVINCE_SUFFIX.search(word)
        )
    )
