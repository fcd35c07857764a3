"""Indicators judged on one contracting process alone: R003, R018, R030, R035."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .frame import Frame, Results
from .settings import split_pipes

# RFC 3339 date-times only (the reference parses with chrono's parse_from_rfc3339): a bare date does not count
_RFC3339 = r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
_NS_PER_SECOND = 1_000_000_000
_SECONDS_PER_DAY = 86_400


def _method_matches(frame: Frame, methods: frozenset[str]) -> np.ndarray:
    """An empty list matches every process; otherwise ``/tender/procurementMethod`` must be listed."""
    if not methods:
        return np.ones(frame.n_releases, dtype=bool)
    return np.array(pd.Series(frame.cols.r_method, dtype=object).isin(methods), dtype=bool)


def _rfc3339_ns(values: list) -> np.ndarray:
    """Nanoseconds since the epoch (UTC); int64 min where the value is not an RFC 3339 date-time."""
    text = pa.array(values, type=pa.string())
    valid = pc.fill_null(pc.match_substring_regex(text, f"^{_RFC3339}$"), False).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(valid)
    upper = pc.utf8_upper(pc.take(text, pa.array(rows))).to_pandas()
    stamps = pd.to_datetime(upper, format="ISO8601", utc=True, errors="coerce").dt.as_unit("ns")
    out = np.full(len(values), np.iinfo(np.int64).min, dtype=np.int64)
    ok = stamps.notna().to_numpy()
    out[rows[ok]] = stamps[ok].astype("int64").to_numpy()
    return out


def _truncate_div(numerator: np.ndarray, denominator: int) -> np.ndarray:
    """Integer division rounding toward zero (Rust's ``/`` on integers)."""
    return np.sign(numerator) * (np.abs(numerator) // denominator)


def r003(frame: Frame, results: Results) -> None:
    """Short submission period: whole days from tenderPeriod start to end below the threshold."""
    settings = frame.settings
    chosen = _method_matches(frame, split_pipes(settings.get("R003", "procurement_methods")))
    chosen &= pd.notna(pd.Series(frame.cols.r_start, dtype=object)).to_numpy()
    chosen &= pd.notna(pd.Series(frame.cols.r_end, dtype=object)).to_numpy()
    rows = np.flatnonzero(chosen)
    start = _rfc3339_ns([frame.cols.r_start[i] for i in rows])
    end = _rfc3339_ns([frame.cols.r_end[i] for i in rows])
    parsed = (start != np.iinfo(np.int64).min) & (end != np.iinfo(np.int64).min)
    rows, start, end = rows[parsed], start[parsed], end[parsed]
    days = _truncate_div(_truncate_div(end - start, _NS_PER_SECOND), _SECONDS_PER_DAY)
    default = settings.get("R003", "threshold", 15)
    per_details = settings.r003_procurement_method_details
    details = pd.Series([frame.cols.r_details[i] for i in rows], dtype=object)
    threshold = details.map(per_details).fillna(default).to_numpy(dtype=np.int64) if per_details else default
    flagged = rows[days < threshold]
    results.set_many("OCID", frame.ocid[flagged].tolist(), "R003", 1.0)


def r018(frame: Frame, results: Results) -> None:
    """Single bid received: ``/tender/numberOfTenderers`` is 1, for open and selective procedures by default."""
    methods = frame.settings.get("R018", "procurement_methods")
    chosen = _method_matches(frame, split_pipes("open|selective" if methods is None else methods))
    chosen &= np.array(frame.cols.r_single_tenderer, dtype=bool)
    results.set_many("OCID", frame.ocid[chosen].tolist(), "R018", 1.0)


def _pair_keys(release: np.ndarray, org: np.ndarray) -> np.ndarray:
    return (release.astype(np.int64) << 32) | org.astype(np.int64)


def r030(frame: Frame, results: Results) -> None:
    """Late bid won: a valid bid dated after the submission deadline was submitted by an awarded supplier."""
    end = np.array(frame.cols.r_end, dtype=object)
    eligible = pd.notna(end) & frame.awards_list & frame.bid_list
    dates = np.array(frame.cols.b_date, dtype=object)
    bids = np.flatnonzero(eligible[frame.b_release] & frame.b_valid & pd.notna(dates) & (frame.b_tenderers >= 0))
    # ISO strings compared as text, exactly as the reference does
    late = bids[dates[bids] > end[frame.b_release[bids]]] if len(bids) else bids
    rows = np.isin(frame.bt_bid, late)
    awarded = _pair_keys(frame.as_release, frame.as_id)
    hit = rows & np.isin(_pair_keys(frame.bt_release, frame.bt_id), awarded)
    results.set_many("OCID", frame.ocid[np.unique(frame.bt_release[hit])].tolist(), "R030", 1.0)
    results.set_many("Tenderer", frame.id_of(np.unique(frame.bt_id[hit])), "R030", 1.0)


def r035(frame: Frame, results: Results) -> None:
    """All except winning bid disqualified: one valid tenderer, who won, and others disqualified."""
    threshold = max(frame.settings.get("R035", "threshold", 1), 1)
    settled = frame.awards_settled
    tenderers = pd.DataFrame({"release": frame.bt_release, "id": frame.bt_id})
    in_scope = settled[frame.bt_release]
    valid = tenderers[in_scope & frame.b_valid[frame.bt_bid]].drop_duplicates()
    disqualified = tenderers[in_scope & frame.b_disqualified[frame.bt_bid]].drop_duplicates()
    awarded = pd.DataFrame({"release": frame.as_release, "id": frame.as_id})
    awarded = awarded[settled[frame.as_release]].drop_duplicates()

    sole_valid = valid[valid.groupby("release")["id"].transform("size") == 1]
    sole_awarded = awarded[awarded.groupby("release")["id"].transform("size") == 1]
    winners = sole_valid.merge(sole_awarded, on=["release", "id"])
    others = disqualified.merge(winners, on="release", suffixes=("", "_winner"))
    others = others[others["id"] != others["id_winner"]]
    counts = others.groupby("release").size()
    winners = winners.set_index("release").join(counts.rename("others"), how="inner")
    winners = winners[winners["others"] >= threshold].sort_index()
    results.set_many("OCID", frame.ocid[winners.index.to_numpy()].tolist(), "R035",
                     winners["others"].to_numpy(dtype=float))
    results.set_many("Tenderer", frame.id_of(np.unique(winners["id"].to_numpy())), "R035", 0.0)
