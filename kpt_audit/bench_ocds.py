"""Benchmark of the OCP indicators: 200,000 generated compiled releases with bids (about 540 MB of JSON Lines).

``python -m kpt_audit.bench_ocds [--releases N] [--no-docs]`` generates the file once (cached under
outputs/bench/ocds/, deterministic for a given N), times ``compute_indicators`` over it with every
indicator enabled, prints releases/second and peak memory, and records the figures in the
"## OCDS indicators" section of docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "outputs" / "bench" / "ocds"
DOC = ROOT / "docs" / "performance.md"
SECTION = "## OCDS indicators"
METHODS = [("open", "Licitación Pública"), ("selective", "Licitación Restringida"), ("limited", "Cotización"),
           ("direct", "Contratación Directa"), ("open", "Subasta Inversa")]
BID_STATUSES = ["valid"] * 8 + ["disqualified"] * 2 + ["pending", "withdrawn"]
AWARD_STATUSES = ["active"] * 17 + ["pending", "cancelled", "unsuccessful"]
CURRENCIES = ["CNY"] * 49 + ["USD"]
FILLER = "工程施工及相关服务，含材料、设备与安装调试。" * 2


def _release(k: int, rng: np.random.Generator) -> dict:
    buyer = f"BUYER-{rng.integers(400):04d}"
    entity = f"PE-{rng.integers(600):04d}" if rng.random() < 0.8 else buyer
    method, details = METHODS[rng.integers(len(METHODS))]
    start = np.datetime64("2021-01-01T09:00:00") + np.timedelta64(int(rng.integers(0, 3 * 365 * 24)), "h")
    days = int(rng.choice([5, 10, 15, 20, 25, 30, 30, 45, 60, 60]))
    end = start + np.timedelta64(days * 24 + int(rng.integers(-12, 12)), "h")
    currency = CURRENCIES[rng.integers(len(CURRENCIES))]
    estimate = float(rng.integers(50, 50_000)) * 1000.0
    n_bids = int(rng.integers(1, 7))
    bidders = [f"SUP-{b:05d}" for b in rng.choice(20_000, size=n_bids, replace=False)]
    bids = []
    for j, bidder in enumerate(bidders):
        amount = round(estimate * float(rng.uniform(0.8, 1.15)), 2)
        if j and rng.random() < 0.03:  # an identical price now and then (R028)
            amount = bids[-1]["value"]["amount"]
        late = rng.random() < 0.02
        bids.append({
            "id": f"{k}-bid-{j}", "status": BID_STATUSES[rng.integers(len(BID_STATUSES))],
            "date": str(end + np.timedelta64(int(rng.integers(1, 48)) if late else -int(rng.integers(1, 72)), "h")) + "Z",
            "value": {"amount": amount, "currency": currency},
            "tenderers": [{"id": bidder, "name": f"供应商 {bidder}"}]})
    valid = [b for b in bids if b["status"] == "valid"]
    winner_bid = min(valid, key=lambda b: b["value"]["amount"]) if valid else bids[0]
    if valid and rng.random() < 0.1:  # award criteria other than price
        winner_bid = valid[int(rng.integers(len(valid)))]
    winner = winner_bid["tenderers"][0]
    codes = [f"{int(rng.integers(10, 95))}{int(rng.integers(100000, 999999))}" for _ in range(int(rng.integers(1, 4)))]
    items = [{"id": str(i), "description": FILLER[: 20 + 7 * i], "classification": {"scheme": "UNSPSC", "id": code},
              "quantity": int(rng.integers(1, 100)), "unit": {"name": "项"}} for i, code in enumerate(codes)]
    award_status = AWARD_STATUSES[rng.integers(len(AWARD_STATUSES))]
    parties = [{"id": buyer, "name": f"采购人 {buyer}", "roles": ["buyer"],
                "address": {"region": "某省", "locality": f"某县{buyer[-2:]}"}},
               {"id": entity, "name": f"代理机构 {entity}", "roles": ["procuringEntity"]}]
    parties += [{"id": b["tenderers"][0]["id"], "name": b["tenderers"][0]["name"], "roles": ["tenderer"]} for b in bids]
    return {
        "ocid": f"ocds-bench-{k:07d}", "id": f"{k}-compiled", "date": str(end) + "Z", "tag": ["compiled"],
        "initiationType": "tender", "parties": parties,
        "buyer": {"id": buyer, "name": f"采购人 {buyer}"},
        "tender": {"id": f"T-{k}", "title": f"项目 {k} 施工", "description": FILLER,
                   "status": "cancelled" if rng.random() < 0.01 else "complete",
                   "procuringEntity": {"id": entity, "name": f"代理机构 {entity}"},
                   "procurementMethod": method, "procurementMethodDetails": details,
                   "value": {"amount": estimate, "currency": currency}, "items": items,
                   "tenderPeriod": {"startDate": str(start) + "Z", "endDate": str(end) + "Z"},
                   "numberOfTenderers": n_bids},
        "bids": {"details": bids},
        "awards": [{"id": f"{k}-award", "status": award_status, "date": str(end + np.timedelta64(240, "h")) + "Z",
                    "value": winner_bid["value"], "suppliers": [winner], "items": items}],
        "contracts": [{"id": f"{k}-contract", "awardID": f"{k}-award", "status": "active",
                       "value": winner_bid["value"], "title": f"合同 {k}"}],
    }


def generate(path: Path, releases: int, seed: int = 20240823) -> None:
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as handle:
        for k in range(releases):
            handle.write(orjson.dumps(_release(k, rng)) + b"\n")
    os.replace(partial, path)


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0  # ru_maxrss is in KiB on Linux


def _write_section(text: str) -> None:
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    start = current.find(SECTION)
    if start < 0:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        following = current.find("\n## ", start + len(SECTION))
        updated = current[:start] + text + (current[following + 1:] if following >= 0 else "")
    DOC.write_text(updated, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=200_000)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)

    from kpt_audit.ocds.indicators import compute_indicators

    path = CACHE / f"releases-{args.releases}.jsonl"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.releases)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s")
    size_mb = path.stat().st_size / 1e6
    started = time.perf_counter()
    result = compute_indicators(path)
    elapsed = time.perf_counter() - started
    rate = args.releases / elapsed
    peak = _peak_rss_mb()
    counts = {group: len(values) for group, values in result.items()}
    print(f"{args.releases:,} releases ({size_mb:,.0f} MB) in {elapsed:.2f} s: {rate:,.0f} releases/s; "
          f"peak RSS {peak:,.0f} MB; results per group {counts}")
    if not args.no_docs:
        _write_section(
            f"{SECTION}\n\n"
            f"`python -m kpt_audit.bench_ocds` (part of `make bench`): every OCP indicator over "
            f"{args.releases:,} generated compiled releases with bids ({size_mb:,.0f} MB of JSON Lines), "
            f"on {os.cpu_count()} cores ({platform.machine()}, Python {platform.python_version()}).\n\n"
            f"| figure | value | target |\n| - | - | - |\n"
            f"| wall time | {elapsed:.2f} s | |\n"
            f"| releases per second | {rate:,.0f} | ≥ 30,000 |\n"
            f"| peak memory (RSS, largest process) | {peak:,.0f} MB | ≤ 2,048 MB |\n\n"
            f"Results: {', '.join(f'{g} {n:,}' for g, n in counts.items())} identifiers flagged.\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
