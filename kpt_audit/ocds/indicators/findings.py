"""Indicator results as rows of the findings schema (check ids ``OCP-R003`` …)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kpt_audit.findings import FINDING_COLUMNS, Repeated, empty_findings, finding_id, finding_no, sorted_together

ENTITY_TYPES = {"OCID": "ocid", "Buyer": "buyer", "ProcuringEntity": "procuring_entity", "Tenderer": "tenderer"}
SEVERITY = "medium"  # red flags call for a closer look, not conclusions

TITLES = {
    "R003": {"zh": "R003 投标期过短", "en": "R003 Short submission period"},
    "R018": {"zh": "R018 仅收到一份投标", "en": "R018 Single bid received"},
    "R024": {"zh": "R024 价格接近中标价", "en": "R024 Price close to winning bid"},
    "R025": {"zh": "R025 未中标投标过多", "en": "R025 Excessive unsuccessful bids"},
    "R028": {"zh": "R028 不同投标人报价相同", "en": "R028 Identical bid prices"},
    "R030": {"zh": "R030 逾期投标中标", "en": "R030 Late bid won"},
    "R035": {"zh": "R035 除中标人外全部被废标", "en": "R035 All except winning bid disqualified"},
    "R036": {"zh": "R036 最低价投标被废标", "en": "R036 Lowest bid disqualified"},
    "R038": {"zh": "R038 废标比例过高", "en": "R038 Excessive disqualified bids"},
    "R048": {"zh": "R048 供应品类过杂", "en": "R048 Heterogeneous supplier"},
    "R058": {"zh": "R058 次低价远高于中标价", "en": "R058 Heavily discounted bid"},
}

# {value} is the indicator's output; see docs/ocds_indicators.md for what each one means
DETAILS = {
    "R003": {"zh": "投标期短于阈值天数", "en": "submission period shorter than the threshold"},
    "R018": {"zh": "投标人数为 1", "en": "numberOfTenderers is 1"},
    "R024": {"zh": "次低有效报价比中标价仅高 {pct}", "en": "second-lowest valid bid only {pct} above the winning bid"},
    "R025": {"zh": "中标次数/有效投标次数 = {value:.4f}，为低离群值",
             "en": "won / valid bids = {value:.4f}, a low outlier"},
    "R028": {"zh": "与其他投标人报价完全相同", "en": "same price as another tenderer's bid"},
    "R030": {"zh": "截标后提交的有效投标中标", "en": "a valid bid dated after the deadline won"},
    "R035": {"zh": "{count} 个其他投标人被废标，仅中标人有效",
             "en": "{count} other tenderer(s) disqualified; only the winner valid"},
    "R036": {"zh": "最低报价被废标，另有有效报价", "en": "lowest submitted bid disqualified while valid bids exist"},
    "R038": {"zh": "废标比例 {pct}，为高离群值", "en": "{pct} of submitted bids disqualified, a high outlier"},
    "R048": {"zh": "供应 {count} 类品目，为高离群值", "en": "supplies {count} item classes, a high outlier"},
    "R058": {"zh": "次低有效报价比中标价高 {pct}", "en": "second-lowest valid bid {pct} above the winning bid"},
}
# Tenderer-group values of R024/R035/R058 are 0.0 markers: the tenderer took part in a flagged process
MARKER_DETAILS = {"zh": "参与被标记的采购过程", "en": "party to a flagged contracting process"}
MARKED = ("R024", "R035", "R058")


@lru_cache(maxsize=65536)  # many findings of one indicator share a value (R018 always 1)
def _detail(code: str, value: float, lang: str, marker: bool) -> str:
    if marker:
        return MARKER_DETAILS[lang]
    template = DETAILS[code][lang]
    return template.format(value=value, pct=f"{value:.1%}", count=int(value))


def _buyers_of(releases_meta, ocids: list) -> list:
    """Each of ``ocids``' buyer (name when given, else id; None when unknown) from a mapping or a frame with
    ``ocid`` and buyer columns (a frame's last row of an ocid, as a dict of its rows would keep)."""
    if releases_meta is None:
        return [None] * len(ocids)
    if isinstance(releases_meta, pd.DataFrame):
        frame = releases_meta
        known = pa.array(frame["ocid"].astype("str").array)
        if pc.count_distinct(known, mode="all").as_py() < len(known):
            frame = frame.drop_duplicates("ocid", keep="last")
            known = pa.array(frame["ocid"].astype("str").array)
        name = frame["buyer_name"] if "buyer_name" in frame else None
        buyer = frame["buyer_id"] if name is None else name.fillna(frame.get("buyer_id"))
        # only the flagged ocids are looked up and made Python objects (millions of releases otherwise)
        at = pc.index_in(pa.array(ocids, type=known.type), value_set=known).to_numpy(zero_copy_only=False)
        at = np.where(np.isnan(at), -1, at).astype(np.int64) if at.dtype.kind == "f" else at.astype(np.int64)
        found = buyer.iloc[np.maximum(at, 0)].tolist() if len(buyer) else [None] * len(at)
        return [None if i < 0 else b for i, b in zip(at.tolist(), found)]
    out = []
    for ocid in ocids:
        value = releases_meta.get(ocid)
        if isinstance(value, dict):
            value = value.get("buyer_name") or value.get("buyer_id")
        out.append(value)
    return out


def indicators_to_findings(result: dict, releases_meta=None, *, buyer_county: dict | None = None,
                           lang: str = "zh") -> pd.DataFrame:
    """One finding per (group, identifier, indicator) of ``result``.

    ``releases_meta`` gives each ocid's buyer (``{ocid: buyer}``, ``{ocid: {"buyer_id", "buyer_name"}}``
    or a frame with ``ocid``, ``buyer_id``[, ``buyer_name``]).  The county is ``buyer_county`` of
    the buyer when mapped, else the buyer itself; a tenderer belongs to no buyer, so its county is empty.
    The columns are made compact as they are made (texts that repeat held once, ``findings.Repeated``):
    millions of findings held as Python objects took gigabytes.
    """
    lang = lang if lang in ("zh", "en") else "zh"
    buyer_county = buyer_county or {}
    # one (entity type, identifier, indicator, value) a finding, each column then made at once
    entity_types, keys, codes, values, marked, counties = [], [], [], [], [], []
    for group, entity_type in ENTITY_TYPES.items():
        flagged = result.get(group, {})
        if not flagged:
            continue
        markers = group == "Tenderer"
        if group == "OCID":
            buyers = _buyers_of(releases_meta, list(flagged))
        elif group in ("Buyer", "ProcuringEntity"):
            buyers = list(flagged)
        else:
            buyers = [None] * len(flagged)
        for (key, indicators), buyer in zip(flagged.items(), buyers):
            county = buyer_county.get(buyer, buyer) if buyer is not None else None
            for code, value in indicators.items():
                entity_types.append(entity_type)
                keys.append(key)
                codes.append(code)
                values.append(value)
                marked.append(markers and code in MARKED)
                counties.append(county)
    if not keys:
        return empty_findings()
    n = len(keys)
    check_ids = [f"OCP-{code}" for code in codes]
    ids = [finding_id(c, t, k) for c, t, k in zip(check_ids, entity_types, keys)]
    numbers = [finding_no(c, f) for c, f in zip(check_ids, ids)]
    details = [_detail(code, value, lang, m) for code, value, m in zip(codes, values, marked)]
    check = Repeated.of(codes)
    check_texts = [str(c) for c in check.texts]
    columns = {
        "finding_id": pd.array(ids, dtype="str"), "finding_no": pd.array(numbers, dtype="str"),
        "check_id": Repeated(check.codes, pd.array([f"OCP-{c}" for c in check_texts], dtype="str")),
        "area": Repeated.same("procurement", n), "severity": Repeated.same(SEVERITY, n),
        "county": Repeated.of(counties), "project_id": np.full(n, None, dtype=object),
        "project_name": np.full(n, np.nan, dtype=object), "entity_type": Repeated.of(entity_types),
        "entity_id": pd.array(keys, dtype="str"), "entity_name": np.full(n, np.nan, dtype=object),
        "amount": np.full(n, np.nan), "title": Repeated(check.codes, pd.array(
            [TITLES[c][lang] for c in check_texts], dtype="str")),
        "detail": pd.array(details, dtype="str"),
        "basis": Repeated(check.codes, pd.array([f"OCP red flag {c} (cardinal-rs 0.0.8 methodology)"
                                                 for c in check_texts], dtype="str")),
        "status": Repeated.same("", n), "cause": Repeated.same("", n)}
    ids = numbers = details = keys = None
    return sorted_together([columns], FINDING_COLUMNS)
