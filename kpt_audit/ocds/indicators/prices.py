"""Indicators that compare bid prices: R024, R058 (winner vs second-lowest bid), R028 and R036.

Only releases whose ``/tender/procurementMethodDetails`` allows price
comparison take part, and only amounts in the main currency (the configured
``currency``, else the first one met in file order, as the reference engine
does when it reads a file on one thread).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .frame import Frame, Results
from .stats import lower_fence, upper_fence


def _first_per_group(group: np.ndarray, order_keys: tuple) -> np.ndarray:
    """Positions (into the arrays) of the first row of each group after sorting by ``order_keys`` then group."""
    order = np.lexsort(order_keys + (group,))
    _, first = np.unique(group[order], return_index=True)
    return order[first]


def main_currency(frame: Frame) -> int:
    """Code of the main currency; -2 when the configured one never occurs; -1 when no candidate bid exists."""
    settings = frame.settings
    if settings.currency is not None:
        try:
            return frame.cols.currencies.index(settings.currency)
        except ValueError:
            return -2
    candidates = []
    if settings.is_enabled("R024") or settings.is_enabled("R058"):
        candidates.append(np.flatnonzero(_ratio_bids(frame)))
    if settings.is_enabled("R036"):
        candidates.append(np.flatnonzero(_r036_bids(frame)))
    # within one release the ratio computation looks first, then R036; releases in file order
    best = None
    for found in candidates:
        if len(found) and (best is None or frame.b_release[found[0]] < frame.b_release[best]):
            best = found[0]
    return -1 if best is None else int(frame.b_currency[best])


def _ratio_bids(frame: Frame) -> np.ndarray:
    """Valid priced bids of one tenderer, in releases with all awards final and one active single-supplier award."""
    eligible = (frame.price_comparable & frame.awards_settled & (frame.active_awards == 1)
                & (frame.sole_supplier >= 0))
    return (eligible[frame.b_release] & frame.b_valid & frame.b_priced
            & (frame.b_tenderers == 1) & (frame.b_first >= 0))


def _r036_bids(frame: Frame) -> np.ndarray:
    eligible = frame.price_comparable & (frame.active_awards > 0)
    return eligible[frame.b_release] & frame.b_submitted & frame.b_priced


def second_lowest_bid_ratios(frame: Frame, currency: int) -> pd.DataFrame:
    """Per release: (second-lowest valid bid - winning bid) / winning bid, with the two tenderers."""
    bids = np.flatnonzero(_ratio_bids(frame) & (frame.b_currency == currency))
    release = frame.b_release[bids]
    amount = frame.b_amount[bids]
    tenderer = frame.b_first[bids]
    is_winner = tenderer == frame.sole_supplier[release]
    # the winner's lowest bid; of the others, the lowest, the earliest on ties
    win = _first_per_group(release[is_winner], (bids[is_winner], amount[is_winner]))
    other = _first_per_group(release[~is_winner], (bids[~is_winner], amount[~is_winner]))
    winners = pd.DataFrame({"release": release[is_winner][win], "winner": tenderer[is_winner][win],
                            "winner_amount": amount[is_winner][win]})
    others = pd.DataFrame({"release": release[~is_winner][other], "second": tenderer[~is_winner][other],
                           "second_amount": amount[~is_winner][other]})
    both = winners.merge(others, on="release")
    # a lower losing bid means the award criterion was not price only
    both = both[both["second_amount"] >= both["winner_amount"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        both["ratio"] = (both["second_amount"] - both["winner_amount"]) / both["winner_amount"]
    return both.reset_index(drop=True)


def r024(frame: Frame, ratios: pd.DataFrame, results: Results) -> None:
    """Price close to winning bid: the ratio is at or below the lower fence (a low outlier)."""
    values = ratios["ratio"].to_numpy()
    q1, fence = results.fence("R024", values, lower_fence, frame.settings.get("R024", "threshold"))
    results.set_meta("R024", "lower_fence", fence)
    # with most ratios at 0 the fence is 0 and three quarters of processes would be flagged
    if not (q1 > 0.0 and fence > 0.0):
        return
    flagged = ratios[values <= fence]
    results.set_many("OCID", frame.ocid[flagged["release"].to_numpy()].tolist(), "R024", flagged["ratio"])
    tenderers = np.concatenate([flagged["winner"].to_numpy(), flagged["second"].to_numpy()])
    results.set_many("Tenderer", frame.id_of(np.unique(tenderers)), "R024", 0.0)


def r058(frame: Frame, ratios: pd.DataFrame, results: Results) -> None:
    """Heavily discounted bid: the ratio is at or above the upper fence (a high outlier)."""
    values = ratios["ratio"].to_numpy()
    _, fence = results.fence("R058", values, upper_fence, frame.settings.get("R058", "threshold"))
    results.set_meta("R058", "upper_fence", fence)
    if not fence > 0.0:
        return
    flagged = ratios[values >= fence]
    results.set_many("OCID", frame.ocid[flagged["release"].to_numpy()].tolist(), "R058", flagged["ratio"])
    results.set_many("Tenderer", frame.id_of(np.unique(flagged["winner"].to_numpy())), "R058", 0.0)


def _tenderer_set_keys(frame: Frame, bids: np.ndarray) -> np.ndarray:
    """An integer per bid standing for its set of tenderer ids (-1 when the set is empty)."""
    keys = np.full(len(frame.b_release), -1, dtype=np.int64)
    rows = np.isin(frame.bt_bid, bids)
    pairs = pd.DataFrame({"bid": frame.bt_bid[rows], "id": frame.bt_id[rows]}).drop_duplicates()
    sizes = pairs.groupby("bid")["id"].transform("size").to_numpy()
    single = pairs[sizes == 1]
    keys[single["bid"].to_numpy()] = single["id"].to_numpy()
    several = pairs[sizes > 1].sort_values(["bid", "id"])
    if len(several):
        joined = several.groupby("bid")["id"].agg(lambda ids: ",".join(map(str, ids)))
        codes, _ = pd.factorize(joined)
        keys[joined.index.to_numpy()] = len(frame.ids) + codes
    return keys


def r028(frame: Frame, results: Results) -> None:
    """Identical bid prices: bids of different tenderers with the same amount and currency."""
    candidates = (frame.price_comparable[frame.b_release] & frame.b_submitted & frame.b_priced
                  & (frame.b_tenderers >= 0))
    keys = _tenderer_set_keys(frame, np.flatnonzero(candidates))
    bids = np.flatnonzero(candidates & (keys >= 0))
    release, amount, currency = frame.b_release[bids], frame.b_amount[bids], frame.b_currency[bids]
    order = np.lexsort((bids, amount, currency, release))
    bids, release, amount, currency = bids[order], release[order], amount[order], currency[order]
    # each bid is compared with the previous bid at the same price in the same process
    same_price = (release[1:] == release[:-1]) & (amount[1:] == amount[:-1]) & (currency[1:] == currency[:-1])
    differs = same_price & (keys[bids[1:]] != keys[bids[:-1]])
    flagged_bids = np.unique(np.concatenate([bids[1:][differs], bids[:-1][differs]]))
    if not len(flagged_bids):
        return
    results.set_many("OCID", frame.ocid[np.unique(frame.b_release[flagged_bids])].tolist(), "R028", 1.0)
    tenderers = np.unique(frame.bt_id[np.isin(frame.bt_bid, flagged_bids)])
    results.set_many("Tenderer", frame.id_of(tenderers), "R028", 1.0)


def r036(frame: Frame, currency: int, results: Results) -> None:
    """Lowest bid disqualified: the lowest submitted bid is disqualified although a valid bid has an amount."""
    bids = np.flatnonzero(_r036_bids(frame) & (frame.b_currency == currency))
    release = frame.b_release[bids]
    lowest = bids[_first_per_group(release, (bids, frame.b_amount[bids]))]
    with_valid = np.unique(release[frame.b_valid[bids]])
    flagged = lowest[frame.b_disqualified[lowest] & np.isin(frame.b_release[lowest], with_valid)]
    results.set_many("OCID", frame.ocid[frame.b_release[flagged]].tolist(), "R036", 1.0)
