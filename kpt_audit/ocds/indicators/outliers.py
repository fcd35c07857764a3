"""Indicators judged against the whole dataset (outliers of a ratio or count): R025, R038, R048."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .frame import Frame, Results
from .stats import lower_fence, percentile, upper_fence


def r025(frame: Frame, results: Results) -> None:
    """Excessive unsuccessful bids: a frequent tenderer whose share of wins is a low outlier."""
    settings = frame.settings
    eligible = frame.awards_settled & (frame.active_awards == 1) & (frame.sole_supplier >= 0)
    bids = eligible[frame.b_release] & frame.b_valid & (frame.b_tenderers == 1) & (frame.b_first >= 0)
    pairs = pd.DataFrame({"release": frame.b_release[bids], "id": frame.b_first[bids]}).drop_duplicates()
    pairs["won"] = pairs["id"].to_numpy() == frame.sole_supplier[pairs["release"].to_numpy()]
    per_tenderer = pairs.groupby("id")["won"].agg(["sum", "size"])
    ratios = (per_tenderer["sum"] / per_tenderer["size"]).to_numpy(dtype=float)
    submitted = per_tenderer["size"].to_numpy(dtype=float)

    busy = percentile(submitted, settings.get("R025", "percentile", 75))
    q1, fence = results.fence("R025", ratios, lower_fence, settings.get("R025", "threshold"))
    results.set_meta("R025", "upper_fence", busy)
    results.set_meta("R025", "lower_fence", fence)
    # if most tenderers never win the fence is 0 and most top tenderers would be flagged
    if not (q1 > 0.0 and fence > 0.0):
        return
    flagged = (submitted >= busy) & (ratios <= fence)
    results.set_many("Tenderer", frame.id_of(per_tenderer.index.to_numpy()[flagged]), "R025", ratios[flagged])


def _flag_high_ratios(frame: Frame, results: Results, group: str, keys, disqualified, submitted,
                      minimum: int) -> None:
    table = pd.DataFrame({"key": keys, "disqualified": disqualified, "submitted": submitted})
    sums = table.groupby("key", sort=True)[["disqualified", "submitted"]].sum()
    sums = sums[sums["submitted"] >= minimum]
    if sums.empty:
        return
    ratios = (sums["disqualified"] / sums["submitted"]).to_numpy(dtype=float)
    _, fence = results.fence("R038", ratios, upper_fence, frame.settings.get("R038", "threshold"),
                             prefix=f"{group}_")
    results.set_meta("R038", f"{group}_upper_fence", fence)
    # with most ratios at 0 the fence is 0 and three quarters of cases would be flagged
    if fence > 0.0:
        flagged = ratios >= fence
        results.set_many(group, sums.index.to_numpy()[flagged].tolist(), "R038", ratios[flagged])


def r038(frame: Frame, results: Results) -> None:
    """Excessive disqualified bids: the share of submitted bids disqualified is a high outlier."""
    settings = frame.settings
    minimum_processes = settings.get("R038", "minimum_contracting_processes", 2)
    submitted = frame.b_submitted
    per_release = pd.DataFrame({"release": frame.b_release[submitted],
                                "disqualified": frame.b_disqualified[submitted].astype(np.int64)})
    per_release = per_release.groupby("release")["disqualified"].agg(["sum", "size"])
    releases = per_release.index.to_numpy()
    for group, column in (("Buyer", frame.cols.r_buyer), ("ProcuringEntity", frame.cols.r_procuring_entity)):
        org = pd.Series(column, dtype=object).to_numpy()[releases]
        has_org = pd.notna(org)
        # the reference counts bids, not processes, against minimum_contracting_processes
        _flag_high_ratios(frame, results, group, org[has_org], per_release["sum"].to_numpy()[has_org],
                          per_release["size"].to_numpy()[has_org], minimum_processes)
    rows = submitted[frame.bt_bid]
    _flag_high_ratios(frame, results, "Tenderer", frame.ids[frame.bt_id[rows]] if rows.any() else [],
                      frame.b_disqualified[frame.bt_bid[rows]].astype(np.int64), np.ones(int(rows.sum()), np.int64),
                      settings.get("R038", "minimum_submitted_bids", 2))


def r048(frame: Frame, results: Results) -> None:
    """Heterogeneous supplier: the number of distinct item classifications a supplier supplies is a high outlier."""
    settings = frame.settings
    digits = settings.get("R048", "digits", 2)
    cols = frame.cols
    items = pd.DataFrame({"release": np.asarray(cols.ic_release, dtype=np.int64),
                          "id": np.asarray(cols.ic_supplier, dtype=np.int64),
                          "code": pd.Series(cols.ic_code, dtype=object).str.slice(0, digits)})
    per_supplier = items.groupby("id").agg(processes=("release", "nunique"), codes=("code", "nunique"))
    per_supplier = per_supplier[per_supplier["processes"] >= settings.get("R048", "minimum_contracting_processes", 20)]
    lengths = per_supplier["codes"].to_numpy(dtype=float)
    _, fence = results.fence("R048", lengths, upper_fence, settings.get("R048", "threshold"))
    results.set_meta("R048", "upper_fence", fence)
    flagged = lengths >= fence
    results.set_many("Tenderer", frame.id_of(per_supplier.index.to_numpy()[flagged]), "R048", lengths[flagged])
