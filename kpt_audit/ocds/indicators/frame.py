"""Numpy views of the extracted columns, shared by the indicator modules, and the result collector."""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from .core import Columns
from .settings import Settings
from .stats import quantile

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")
SUBMITTED_EXCLUDED = ("invited", "withdrawn")


class Frame:
    """Arrays over releases, bids and bid tenderers, plus the masks several indicators share."""

    def __init__(self, cols: Columns, settings: Settings):
        # views of the columns where they are arrays of the type already (no indicator writes to them):
        # copies cost half a gigabyte on 2,000,000 releases
        self.cols = cols
        self.settings = settings
        self.ids = np.asarray(cols.ids, dtype=object)
        self.n_releases = len(cols.r_ocid)
        self.ocid = np.asarray(cols.r_ocid, dtype=object)
        self.awards_list = np.asarray(cols.r_awards_list, dtype=bool)
        self.bid_list = np.asarray(cols.r_bid_list, dtype=bool)
        self.awards_final = np.asarray(cols.r_awards_final, dtype=bool)
        self.active_awards = np.asarray(cols.r_active_awards, dtype=np.int64)
        self.sole_supplier = np.asarray(cols.r_sole_supplier, dtype=np.int64)

        self.b_release = np.asarray(cols.b_release, dtype=np.int64)
        self.b_amount = np.asarray(cols.b_amount, dtype=np.float64)
        self.b_currency = np.asarray(cols.b_currency, dtype=np.int64)
        self.b_tenderers = np.asarray(cols.b_tenderers, dtype=np.int64)
        self.b_first = np.asarray(cols.b_first_tenderer, dtype=np.int64)
        status = np.asarray(cols.b_status, dtype=np.int64)
        self.b_valid = self._status_is(status, "valid")
        self.b_disqualified = self._status_is(status, "disqualified")
        self.b_submitted = (status >= 0) & ~np.isin(status, self._codes(cols.statuses, SUBMITTED_EXCLUDED))
        self.b_priced = self.b_currency >= 0
        self.bt_bid = np.asarray(cols.bt_bid, dtype=np.int64)
        self.bt_id = np.asarray(cols.bt_id, dtype=np.int64)
        self.bt_release = self.b_release[self.bt_bid]
        self.as_release = np.asarray(cols.as_release, dtype=np.int64)
        self.as_id = np.asarray(cols.as_id, dtype=np.int64)

        # "All awards final": the reference's precondition for comparing winners with bids
        self.awards_settled = self.awards_list & self.bid_list & self.awards_final
        self.price_comparable = self._price_comparable()

    @staticmethod
    def _codes(vocabulary: list, values) -> np.ndarray:
        lookup = {v: k for k, v in enumerate(vocabulary)}
        return np.array([lookup[v] for v in values if v in lookup], dtype=np.int64)

    def _status_is(self, status: np.ndarray, value: str) -> np.ndarray:
        codes = self._codes(self.cols.statuses, [value])
        return status == codes[0] if len(codes) else np.zeros(len(status), dtype=bool)

    def _price_comparable(self) -> np.ndarray:
        """Releases whose bid prices may be compared (``[no_]price_comparison_procurement_methods``)."""
        details = pd.array(self.cols.r_details, dtype=object)
        include = self.settings.price_comparison_include
        if include:
            return np.array(pd.Series(details).isin(include), dtype=bool)
        exclude = self.settings.price_comparison_exclude
        if not exclude:
            return np.ones(self.n_releases, dtype=bool)
        return ~np.array(pd.Series(details).isin(exclude), dtype=bool)

    def id_of(self, codes) -> list[str]:
        return self.ids[np.asarray(codes, dtype=np.int64)].tolist()


class Results:
    """Indicator outputs per group and identifier, and the Meta (quartiles and fences)."""

    def __init__(self):
        self.groups = {group: defaultdict(dict) for group in GROUPS}
        self.meta: dict[str, dict[str, float]] = {}

    def set_many(self, group: str, keys, indicator: str, values) -> None:
        target = self.groups[group]
        if np.isscalar(values):
            values = [values] * len(keys)
        for key, value in zip(keys, values):
            target[key][indicator] = float(value)

    def set_meta(self, indicator: str, key: str, value: float) -> None:
        self.meta.setdefault(indicator, {})[key] = float(value)

    def fence(self, indicator: str, values, fence_of, threshold, prefix: str = "") -> tuple[float, float]:
        """(q1, fence): the configured ``threshold``, else ``fence_of(q1, q3)`` of ``values``'
        quartiles, which go into the Meta as ``{prefix}q1``/``{prefix}q3``. With a threshold q1 is
        1.0, so the zero-quartile guard of the callers never applies."""
        if threshold is not None:
            return 1.0, float(threshold)
        q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
        self.set_meta(indicator, f"{prefix}q1", q1)
        self.set_meta(indicator, f"{prefix}q3", q3)
        return q1, fence_of(q1, q3)
