"""What checks share: frames built once per run and key operations behind plain names.

A check module imports from here (and ``registry`` and ``context``) and nothing
else of the package.  Each frame is cached on the run's Context and
never depends on parameters; the speed tricks (arrow look-ups, integer codes)
live in ``keys`` and ``codes`` only.

* key operations (``keys``): ``lookup``, ``isin``, ``take_rows``, ``positions``, ``take``;
  codes and sorted runs (``codes``): ``pair_codes``, ``unique_rows``, ``repeated_rows``, ``sort_order``,
  ``Runs`` (a group-by of sorted rows)
* columns (``common``): ``optional_column``, ``present``, ``days``, ``most_common``, ``unreadable``, ``order_unknown``
  (cells the loader could not read: never judged as absent)
* money (``money``): ``payments_by_project``, ``payments_by_contract``,
  ``contract_values``, ``paid_per_contract``, the payments' id codes
* procurement (``procurement``): ``tender_frame``, ``tender_by_id``, ``bid_codes``,
  ``supplier_name_by_id``, ``tender_rows`` …
* dated rules (``dated``): ``in_force`` — a parameter's value on each event date
* a value against the line a rule draws (``compare``): ``below``, ``above``, ``at_least``, ``at_most``
  (a value on the line is on it, whatever binary floating point made of target × 0.8)
* text (``text``): the spec's one normalisation, ``normalise_text`` (``normalised_codes``: as codes)
* detail formatting (``fmt``): how a detail template shows the values it quotes
"""
from .codes import BidCodes, KeyCodes, Runs, pair_codes, repeated_rows, runs, sort_order, unique_rows
from .compare import above, at_least, at_most, below
from .common import days, most_common, optional_column, order_unknown, present, unreadable
from .dated import in_force, periods
from .keys import isin, lookup, positions, take, take_rows
from .money import (contract_values, paid_per_contract, payment_contracts, payment_payees,
                    payment_projects, payments_by_contract, payments_by_project)
from .projects import FUNDED_CATEGORIES, counties_where, government_invested, project_county, project_names, project_rows
from .procurement import (COMPETITIVE, TENDER_AMOUNT, TENDER_AWARD, TENDER_OPTIONAL, bid_codes, bid_tenders, buyer_county,
                          contracts_with_award, county_by_project_else, currencies_of, involved_amount, not_disqualified, require_cny,
                          supplier_name_by_id, tender_by_id, tender_finding, tender_frame, tender_rows)
from .text import PLACEHOLDERS, normalise_one, normalise_text, normalised_codes, recorded

__all__ = [
    "BidCodes", "KeyCodes", "Runs", "pair_codes", "repeated_rows", "runs", "sort_order", "unique_rows",
    "above", "at_least", "at_most", "below",
    "days", "most_common", "optional_column", "order_unknown", "present", "unreadable", "in_force", "periods",
    "isin", "lookup", "positions", "take", "take_rows",
    "contract_values", "paid_per_contract", "payment_contracts", "payment_payees", "payment_projects",
    "payments_by_contract", "payments_by_project",
    "COMPETITIVE", "TENDER_AWARD", "TENDER_OPTIONAL", "bid_codes", "bid_tenders", "buyer_county", "contracts_with_award",
    "county_by_project_else", "currencies_of", "involved_amount", "TENDER_AMOUNT", "not_disqualified", "require_cny",
    "supplier_name_by_id", "tender_by_id", "tender_finding", "tender_frame", "tender_rows",
    "project_names", "project_county", "project_rows", "counties_where", "FUNDED_CATEGORIES", "government_invested",
    "PLACEHOLDERS", "normalise_one", "normalise_text", "normalised_codes", "recorded",
]
