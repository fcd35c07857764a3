"""Name pools and identifier builders for synthetic data (all fictional).

Identifiers that checks compare (phones, addresses, bank accounts, legal
representatives, invoice numbers) are built from a running index through a
bijection, so they are unique by construction and never link two suppliers
by accident.  Everything here works on whole arrays.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

PLACE_WORDS = (
    "东城", "西湖", "南山", "北塘", "青石", "白水", "临江", "安平", "永宁", "清河", "长乐", "富川",
    "金溪", "石门", "云台", "龙泉", "松阳", "桃源", "丰泽", "柳林", "泰和", "兴隆", "平湖", "凤岭",
    "梅溪", "乐安", "高阳", "华亭", "双峰", "新田", "望江", "怀远", "宁海", "广德", "崇文", "沙河",
    "玉山", "宝丰", "祁门", "黄岩", "德安", "会昌", "武宁", "靖安", "南丰", "鹤峰", "洪泽", "滨海",
    "汤阴", "卢龙", "寿宁", "屏南", "仙游", "和平", "连平", "紫金", "阳山", "翁源", "始兴", "仁化",
)
COUNTY_SUFFIXES = ("县", "区", "市")

TOWN_WORDS = (
    "城关", "马桥", "大庄", "河口", "新港", "柳塘", "石桥", "杨林", "枫林", "白沙", "黄土", "青山",
    "双河", "高桥", "李家", "王村", "长岭", "东坝", "西岗", "南湖", "北山", "桂花", "茶园", "古城",
    "新桥", "清溪", "竹林", "丰乐", "观音", "仙人", "梨园", "沙坪", "龙口", "凤凰", "金鸡", "银杏",
    "槐树", "莲花", "兰溪", "芦苇", "桑园", "柏树", "松林", "梅岭", "桃花", "杏坛", "稻香", "麦田",
)

SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_CHARS = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩鹏辉婷雪琳晨阳欣然子轩梓涵一诺浩然雨桐思远嘉怡俊杰")

TRADE_WORDS = (
    "宏达", "鑫源", "恒信", "华建", "中诚", "金鼎", "瑞丰", "远航", "永盛", "博达", "天成", "兴业",
    "正泰", "汇通", "昌盛", "东方", "锦程", "安泰", "顺达", "启明", "嘉禾", "腾飞", "佳和", "新纪元",
    "德信", "广源", "百川", "同创", "盛世", "卓越", "润泽", "宇通", "万通", "恒基", "荣华", "海川",
)
SUPPLIER_TRADES = {
    "works": ("建设工程", "建筑工程", "市政工程", "水利水电工程", "路桥工程", "园林绿化工程"),
    "goods": ("设备", "机电设备", "医疗器械", "教学设备", "环保设备", "信息技术"),
    "services": ("工程咨询", "建设监理", "勘察设计", "造价咨询", "检测技术", "规划设计"),
    "enterprise": ("新材料科技", "机械制造", "食品", "电子科技", "纺织", "生物科技"),
}
ROADS = ("人民路", "建设路", "解放路", "中山路", "新华路", "胜利路", "和平路", "文化路", "工业路", "滨江路",
         "朝阳路", "光明路", "迎宾大道", "环城东路", "环城西路", "府前街")

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = "10X98765432"


def _max_counties() -> int:
    places = {w[0] + v[1] for w in PLACE_WORDS for v in PLACE_WORDS} - set(PLACE_WORDS)
    return (len(PLACE_WORDS) + len(places)) * len(COUNTY_SUFFIXES)


MAX_COUNTIES = _max_counties()


def county_names(n: int) -> list[str]:
    """n distinct fictional county/district names, in a fixed order (the first ones those of a city).

    The 180 names of PLACE_WORDS and COUNTY_SUFFIXES come first (a province); a national review
    needs thousands, so after them each place word's first character is joined with every other
    place word's second one (东湖县, 东山县 …: over 7,000 in all, more than China's 2,800 or so counties).
    """
    if n < 0:
        raise ValueError("a number of counties cannot be negative")
    whole = [w + s for s in COUNTY_SUFFIXES for w in PLACE_WORDS]
    # interleave 县 and 区 so small sets look like a real city
    ordered = [whole[i // 2 + (i % 2) * len(PLACE_WORDS)] for i in range(2 * len(PLACE_WORDS))]
    names = ordered + whole[2 * len(PLACE_WORDS):]
    if n <= len(names):
        return names[:n]
    places = list(dict.fromkeys(w[0] + v[1] for w in PLACE_WORDS for v in PLACE_WORDS))
    places = [p for p in places if p not in PLACE_WORDS]
    # each new place as a 县, then as a 区, then as a 市 (one place name in two provinces, as 朝阳区 of
    # Beijing and 朝阳县 of Liaoning)
    names += [p + s for s in COUNTY_SUFFIXES for p in places][:n - len(names)]
    if len(names) == n:
        return names
    raise ValueError(f"at most {MAX_COUNTIES} counties")


def town_names(county_index: int, n: int) -> list[str]:
    """n distinct town names for one county (the same county index gives the same towns)."""
    words = TOWN_WORDS
    start = (county_index * 7) % len(words)
    rotated = words[start:] + words[:start]
    out = [w + "镇" for w in rotated]
    k = 2
    while len(out) < n:  # extra towns: two-word names, still distinct
        out += [a + b[:1] + "镇" for a, b in zip(rotated, rotated[k:] + rotated[:k])]
        k += 1
    return out[:n]


def _base_digits(values: np.ndarray, base: int, width: int) -> np.ndarray:
    """Rows of ``width`` digits (most significant first) of ``values`` in ``base``."""
    out = np.empty((len(values), width), dtype=np.int64)
    v = values.astype(np.int64).copy()
    for pos in range(width - 1, -1, -1):
        out[:, pos] = v % base
        v //= base
    return out


def _join_codes(codes: np.ndarray) -> np.ndarray:
    """ASCII code rows -> array of str."""
    width = codes.shape[1]
    return codes.astype(np.uint8).view(f"S{width}").ravel().astype(str)


def uscc(index: np.ndarray, region: np.ndarray) -> np.ndarray:
    """统一社会信用代码-like ids (18 chars, GB 32100 check character), unique per index."""
    n = len(index)
    charset = np.frombuffer(USCC_CHARS.encode(), dtype=np.uint8)
    body = np.empty((n, 17), dtype=np.int64)
    body[:, 0] = 9  # 工商
    body[:, 1] = 1  # 企业
    body[:, 2:8] = _base_digits(region.astype(np.int64), 10, 6)
    span = 31 ** 9
    body[:, 8:17] = _base_digits((index.astype(np.int64) * 1_000_003 + 7_777_777) % span, 31, 9)
    check = (31 - (body * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    codes = np.concatenate([charset[body], charset[check][:, None]], axis=1)
    return _join_codes(codes)


def id_numbers(index: np.ndarray, region: np.ndarray, birth: np.ndarray) -> np.ndarray:
    """18-digit 居民身份证号 with a valid ISO 7064 check character (synthetic)."""
    n = len(index)
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, 0:6] = _base_digits(region.astype(np.int64), 10, 6)
    ymd = pd.DatetimeIndex(birth)
    stamp = (ymd.year * 10000 + ymd.month * 100 + ymd.day).to_numpy()
    digits[:, 6:14] = _base_digits(stamp, 10, 8)
    digits[:, 14:17] = _base_digits(index % 1000, 10, 3)
    check = np.frombuffer(ID_CHECK.encode(), dtype=np.uint8)[(digits * ID_WEIGHTS).sum(axis=1) % 11]
    codes = np.concatenate([digits + ord("0"), check[:, None]], axis=1)
    return _join_codes(codes)


def unique_numbers(index: np.ndarray, digits: int, salt: int) -> np.ndarray:
    """Zero-padded digit strings, distinct for distinct indices (an affine bijection mod 10**digits)."""
    span = 10 ** digits
    v = (index.astype(np.int64) * 7_919_113 + salt) % span  # multiplier coprime to 10
    return _join_codes(_base_digits(v, 10, digits) + ord("0"))


def phones(index: np.ndarray) -> np.ndarray:
    prefix = np.array(["138", "139", "158", "186", "137", "135"])[index % 6]
    return np.char.add(prefix, unique_numbers(index, 8, 12_345_677))


def bank_accounts(index: np.ndarray) -> np.ndarray:
    return np.char.add("6222", unique_numbers(index, 15, 901_234_567))


def person_names(index: np.ndarray) -> np.ndarray:
    """Distinct Chinese personal names for distinct indices (up to ~360,000)."""
    n_given = len(GIVEN_CHARS)
    per_surname = n_given + n_given * n_given
    total = len(SURNAMES) * per_surname
    k = (index.astype(np.int64) * 104_729 + 31) % total
    surname = np.array(SURNAMES)[k // per_surname]
    g = k % per_surname
    chars = np.array(GIVEN_CHARS)
    one = g < n_given
    g2 = np.where(one, 0, g - n_given)
    first = np.where(one, chars[np.minimum(g, n_given - 1)], chars[g2 // n_given])
    second = np.where(one, "", chars[g2 % n_given])
    return np.char.add(np.char.add(surname, first), second)


def company_names(index: np.ndarray, county: np.ndarray, trade_kind: np.ndarray) -> np.ndarray:
    """'<county><字号><行业>有限公司'; trade_kind is works/goods/services/enterprise per row."""
    out = np.empty(len(index), dtype=object)
    trade_word = np.array(TRADE_WORDS)[index % len(TRADE_WORDS)]
    for kind, trades in SUPPLIER_TRADES.items():
        mask = trade_kind == kind
        if mask.any():
            t = np.array(trades)[(index[mask] // len(TRADE_WORDS)) % len(trades)]
            out[mask] = np.char.add(np.char.add(county[mask].astype(str), trade_word[mask]), t)
    return np.char.add(out.astype(str), "有限公司")


def addresses(index: np.ndarray, county: np.ndarray) -> np.ndarray:
    """'<county><road><n>号', distinct for distinct indices."""
    road = np.array(ROADS)[index % len(ROADS)]
    number = (index // len(ROADS) + 1).astype(str)
    return np.char.add(np.char.add(np.char.add(county.astype(str), road), number), "号")
