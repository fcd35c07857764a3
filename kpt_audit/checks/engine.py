"""Run the catalogue's checks over a dataset: findings, metrics and the checks not (fully) run.

The findings frame has the columns of ``FINDING_COLUMNS`` and, last, ``values``: the
values its detail quotes, as JSON (keys sorted; numbers, text, dates as YYYY-MM-DD),
the same whatever the report language.  Written outputs keep ``FINDING_COLUMNS`` only.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from ..dataset import realigned_unknown
from ..errors import MissingAsOfError
from ..findings import FINDING_COLUMNS, Repeated, empty_findings, finding_id, finding_no, sort_findings, sorted_together
from ..load.arrow import release_freed_memory
from ..load.edited import as_loaded
from .catalogue import CHECKS, METRICS
from .context import Context
from .frames import lookup, project_county, project_names, project_rows, supplier_name_by_id
from .frames.dated import basis_on, in_some_period
from .frames.fmt import DetailFormatter, plain_json_column
from .registry import PARTLY_JUDGED, Check, NotRun

NOT_RUN_COLUMNS = ["check_id", "reason", "entities"]
UNJUDGED_COLUMNS = ["check_id", "county", "entities"]


def unjudged_frame(rows=()) -> pd.DataFrame:
    """(check_id, county, entities) rows as a frame: a partly judged check's entities per county."""
    return pd.DataFrame(list(rows), columns=UNJUDGED_COLUMNS).astype(
        {"check_id": "str", "county": "str", "entities": "int64"})


@dataclass
class CheckResult:
    findings: pd.DataFrame
    metrics: dict[str, pd.DataFrame]
    not_run: pd.DataFrame  # check_id, reason, entities (the count a partly judged check left unjudged)
    dataset: object = None
    params: object = None
    timings: dict[str, float] = field(default_factory=dict)
    # the entities each partly judged check left unjudged, per county ("" none), for the checks that say
    # which county each was in: what not_run counts for some counties only (:func:`not_run_in`)
    unjudged: pd.DataFrame = field(default_factory=unjudged_frame)


def not_run_in(not_run: pd.DataFrame, unjudged: pd.DataFrame, counties) -> pd.DataFrame:
    """``not_run`` for ``counties``: a partly judged check's count is of their entities where the check said
    which county each was in (``unjudged``), and a check that judged all of theirs has no row; a check
    that did not say keeps the whole run's count."""
    wanted = set(counties)
    said = set(unjudged["check_id"])
    theirs = unjudged[unjudged["county"].isin(wanted)].groupby("check_id")["entities"].sum()
    rows = []
    for row in not_run.itertuples(index=False):
        if row.reason == PARTLY_JUDGED and row.check_id in said:
            n = int(theirs.get(row.check_id, 0))
            if not n:
                continue
            row = row._replace(entities=str(n))
        rows.append(tuple(row))
    return pd.DataFrame(rows, columns=list(not_run.columns)).astype("str")


def run_checks(dataset, params, counties=None, checks=None, metrics=True, found_elsewhere=None) -> CheckResult:
    """Run the checks over the whole dataset; ``counties`` only filters what is returned.

    ``params`` is a :class:`kpt_audit.params.Params` with its audit date set.
    ``checks`` restricts the run to those checks (ids, or functions declared with ``@check``; an
    empty list runs none); ``metrics=False`` leaves the metric tables out.  ``found_elsewhere``
    (findings of these counties made by other runs: the checks that compare counties) are counted in
    the metric tables too, which are made from the checks' own context (the frames they cached).
    """
    if getattr(params, "as_of", None) is None:
        raise MissingAsOfError()
    ctx = context_of(dataset, params)
    selected = [_spec(c) for c in (CHECKS if checks is None else checks)]

    parts, not_run, per_county, timings = [], [], [], {}
    for spec in selected:
        reason = spec.missing_inputs(ctx.tables)
        if reason:
            not_run.append((spec.id, reason, ""))
            continue
        started = time.perf_counter()
        try:
            found, unjudged = _run_one(spec, ctx, params)
        except NotRun as exc:
            not_run.append((spec.id, str(exc), ""))
            continue
        timings[spec.id] = time.perf_counter() - started
        if unjudged.total:
            not_run.append((spec.id, PARTLY_JUDGED, str(unjudged.total)))
            if unjudged.by_county is not None:
                per_county += [(spec.id, c, n) for c, n in sorted(unjudged.by_county.items()) if n]
        parts.append(found)
    # what the checks freed handed back before their findings are put together, the run's peak at scale
    # (Arrow's pool keeps freed pages a second: 2,000,000 OCDS releases' peak 3.68 -> 3.58 GiB)
    release_freed_memory()
    # put together a column at a time, each part's column let go as it joins (parts are used up)
    findings = sorted_together(parts, FOUND_COLUMNS) if any(_count(p) for p in parts) else no_findings()

    if metrics:
        counted = findings if found_elsewhere is None or not len(found_elsewhere) else \
            sort_findings(pd.concat([found_elsewhere, findings], ignore_index=True))
        metrics = metric_tables(ctx, counted)
        counted = None
    else:
        metrics = {}
    if counties:
        wanted = set(counties)
        findings = findings[findings["county"].isin(wanted)].reset_index(drop=True)
        metrics = {k: (v[v["county"].isin(wanted)].reset_index(drop=True) if "county" in v else v)
                   for k, v in metrics.items()}
    unjudged = unjudged_frame(per_county)
    not_run_frame = pd.DataFrame(not_run, columns=NOT_RUN_COLUMNS).astype("str")
    if counties:
        not_run_frame = not_run_in(not_run_frame, unjudged, counties)
    return CheckResult(findings, metrics, not_run_frame, dataset, params, timings, unjudged)


def metric_tables(ctx: Context, findings: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every metric table whose inputs the data have, for ``findings``."""
    return {m.name: m.func(ctx, findings) for m in METRICS.values() if not m.missing_inputs(ctx.tables)}


def context_of(dataset, params) -> Context:
    """The checks' view of ``dataset`` at ``params``' audit date (tables edited after loading read as loaded)."""
    tables = as_loaded(dataset.tables if hasattr(dataset, "tables") else dict(dataset))
    unknown = getattr(dataset, "unknown", None)
    return Context(tables, params.values, params.as_of, params.lang,
                   unknown=realigned_unknown(unknown, tables) if unknown is not None else None,
                   origin=getattr(dataset, "origin", None),
                   currencies=getattr(dataset, "currencies", None))


def _spec(check) -> Check:
    if isinstance(check, Check):
        return check
    if callable(check) and hasattr(check, "check"):
        return check.check
    return CHECKS[check]


Found = dict  # a check's findings: FOUND_COLUMNS -> texts (str), Repeated texts, or amounts (float64)
FOUND_COLUMNS = [*FINDING_COLUMNS, "values"]
# texts a check repeats over its findings: each held once, rows as small codes (findings.Repeated), until
# the run's findings are put together (findings.sorted_together)
REPEATED = frozenset({"check_id", "area", "severity", "county", "entity_type", "title", "basis", "status", "cause"})


def _run_one(spec: Check, ctx: Context, params) -> tuple[Found, "_Unjudged"]:
    """The check's findings, a county's own parameters applied to that county's findings;
    and how many entities it could not judge (a county's counted by its own parameters
    where the check says which county each was in).

    A check the defaults leave not run (SUB03 without a program rule) still runs for a
    county whose own file gives what it needs; it is not run only when no run could judge.
    """
    try:
        found, unjudged, reason = *_judged(spec, ctx), None
    except NotRun as exc:
        found, unjudged, reason = _found(), _Unjudged(0, {}), exc
    ran_somewhere = reason is None
    for county, overrides in ([] if spec.cross_county else _own_rules(spec, params)):
        local = ctx.with_params({**ctx.params, **overrides})
        try:
            again, again_unjudged = _judged(spec, local)
        except NotRun:
            again, again_unjudged = _found(), _Unjudged(0, {})
        else:
            ran_somewhere = True
        found = _joined(_rows_where(found, county, False), _rows_where(again, county, True))
        unjudged = unjudged.in_county(county, again_unjudged)
    if not ran_somewhere:
        raise reason
    return found, unjudged


def _own_rules(spec: Check, params):
    """The counties whose own file (params/counties) changes a parameter of the check or its dated bases."""
    for county, overrides in sorted(params.county_overrides.items()):
        bases = overrides.get("bases")
        if set(overrides) & set(spec.params) or (bases is not None and
                                                 bases.get(spec.id) != params.values["bases"].get(spec.id)):
            yield county, overrides


@dataclass
class _Unjudged:
    """How many entities a check could not judge, and in which county each was (None: not said)."""
    total: int
    by_county: dict | None

    @classmethod
    def of(cls, rows) -> "_Unjudged":
        attrs = rows.attrs if rows is not None else {}
        return cls(int(attrs.get("unjudged", 0)), attrs.get("unjudged_by_county", {} if not attrs.get("unjudged")
                                                                else None))

    def __add__(self, other: "_Unjudged") -> "_Unjudged":
        by = None if self.by_county is None or other.by_county is None else \
            {c: self.by_county.get(c, 0) + other.by_county.get(c, 0) for c in {*self.by_county, *other.by_county}}
        return _Unjudged(self.total + other.total, by)

    def in_county(self, county: str, own: "_Unjudged") -> "_Unjudged":
        """These counts with ``county``'s replaced by ``own``'s (the check run with that county's parameters);
        unchanged when either run did not say which county its entities were in."""
        if self.by_county is None or own.by_county is None:
            return self
        mine = own.by_county.get(county, 0)
        return _Unjudged(self.total - self.by_county.get(county, 0) + mine, {**self.by_county, county: mine})


def _judged(spec: Check, ctx: Context) -> tuple[Found, _Unjudged]:
    """The check's findings at ``ctx``'s parameters, and the entities it could not judge.

    A finding whose event date falls in no period of the check's dated bases (``checks.bases``) has no
    basis in force to cite: it is not made, and its entity is counted as not judged (checks.md, Dated
    parameters).  The condition itself does not move with the bases, so an entity that would not be a
    finding is judged whatever its date."""
    rows = spec.func(ctx)
    unjudged = _Unjudged.of(rows)
    bases = (ctx.params.get("bases") or {}).get(spec.id)
    if not bases or rows is None or "event_date" not in rows or "basis" in rows:
        return findings_of(spec, rows, ctx), unjudged
    found = findings_of(spec, rows, ctx)  # in the rows' order
    inside = in_some_period(bases, rows["event_date"]).to_numpy(dtype=bool)
    if inside.all():
        return found, unjudged
    left_out = _rows(found, ~inside)["county"].as_texts()
    counties = pd.Series(left_out, dtype="object").fillna("").value_counts().to_dict()
    return _rows(found, inside), unjudged + _Unjudged(int((~inside).sum()), counties)


@functools.cache
def _no_findings() -> pd.DataFrame:
    return empty_findings().assign(values=pd.Series(dtype="str"))


def no_findings() -> pd.DataFrame:
    return _no_findings().copy()


def _found() -> Found:
    return _compact({c: [] for c in FOUND_COLUMNS}, 0)


def _count(found: Found) -> int:
    return len(found["finding_id"])


def _rows_where(found: Found, county: str, of_county: bool) -> Found:
    """The findings of ``county`` (``of_county``), or those of every other county and of none."""
    return _rows(found, found["county"].equal_to(county) == of_county)


def _rows(found: Found, rows: np.ndarray) -> Found:
    """The findings at ``rows`` (a mask)."""
    return {c: values.where(rows) if isinstance(values, Repeated) else values[rows] for c, values in found.items()}


def _joined(*parts: Found) -> Found:
    """The findings of ``parts`` one after another."""
    return {c: Repeated.joined([p[c] for p in parts]) if c in REPEATED
            else np.concatenate([p[c] for p in parts]) if c == "amount"
            else parts[0][c]._concat_same_type([p[c] for p in parts]) for c in FOUND_COLUMNS}


def _compact(columns: dict, rows: int) -> Found:
    """A check's findings as compact columns, made as soon as a check's findings are: texts of the findings'
    ``str`` type (as one cast of all the run's findings would spell them), those of ``REPEATED`` held once
    (a text given for every row: one text), ``amount`` float64.  Kept as lists of Python objects for the
    whole run, 1.6 million findings took gigabytes."""
    out = {}
    for name in FOUND_COLUMNS:
        values = columns[name]
        if name == "amount":
            out[name] = np.asarray(values, dtype="float64")
        elif isinstance(values, str):
            out[name] = Repeated.same(values, rows)
        else:
            out[name] = Repeated.of(values) if name in REPEATED else pd.array(values, dtype="str")
    return out


# rows made findings at a time: a row's findings are its own, and the Python lists they are made from take
# about 1.7 kB a row (a check of 370,000 findings on 2,000,000 OCDS releases held 0.65 GiB for them at once)
FINDINGS_AT_ONCE = 100_000


def findings_of(spec: Check, rows: pd.DataFrame | None, ctx: Context) -> Found:
    """A check's own rows as findings: the columns of ``FINDING_COLUMNS`` and ``values`` (see ``_compact``),
    :data:`FINDINGS_AT_ONCE` rows at a time.

    A row without a county takes its project's (projects as loaded).
    """
    if rows is None or len(rows) == 0:
        return _found()
    rows = rows.reset_index(drop=True)
    if len(rows) <= FINDINGS_AT_ONCE:
        return _findings_of(spec, rows, ctx)
    return _joined(*[_findings_of(spec, rows.iloc[start:start + FINDINGS_AT_ONCE].reset_index(drop=True), ctx)
                     for start in range(0, len(rows), FINDINGS_AT_ONCE)])


def _findings_of(spec: Check, rows: pd.DataFrame, ctx: Context) -> Found:
    """:func:`findings_of` on rows indexed from 0."""
    n = len(rows)

    def column(name, default=None) -> list:  # numbers and dates as pandas spells them
        if name not in rows:
            return [default] * n
        col = rows[name]
        if col.dtype != "str" and col.dtype != object:
            col = col.astype("str")
        return col.tolist() if default is None else [default if _missing(v) else v for v in col.tolist()]

    project, county = column("project_id"), column("county")
    entity_type, entity_id = column("entity_type", spec.entity_type), column("entity_id")
    at = project_rows(ctx, project)  # one look-up for the project's name and county
    blank = [i for i, c in enumerate(county) if _missing(c) or c == ""]
    if blank:
        of_project = _of_projects(at[blank], project_county(ctx))
        for i, c in zip(blank, of_project):
            county[i] = None if c == "" else c
        still = [i for i in blank if county[i] is None and entity_type[i] in ("contract", "payment")]
        if still:
            for i, c in zip(still, _tender_counties(ctx, [entity_type[i] for i in still], [entity_id[i] for i in still])):
                county[i] = c
    # yuan to the fen: a difference of float sums is otherwise written as 100.00999999999999
    amount = (pd.to_numeric(rows["amount"], errors="coerce").astype("float64").round(2).tolist() if "amount" in rows
              else [np.nan] * n)
    detail, values = _details(spec, rows, ctx)
    ids = [finding_id(spec.id, t, _spelled(e)) for t, e in zip(entity_type, entity_id)]
    return _compact({
        "finding_id": ids, "finding_no": [finding_no(spec.id, f) for f in ids],
        "check_id": spec.id, "area": spec.area, "severity": column("severity", spec.severity),
        "county": county, "project_id": project, "project_name": _of_projects(at, project_names(ctx)),
        "entity_type": entity_type, "entity_id": entity_id,
        "entity_name": column("entity_name") if "entity_name" in rows else _entity_names(entity_type, entity_id, ctx),
        "amount": amount, "title": spec.text("title", ctx.lang), "detail": detail,
        "basis": _bases(spec, rows, ctx), "status": "", "cause": "", "values": values,
    }, n)


def _tender_counties(ctx: Context, entity_types: list, entity_ids: list) -> list:
    """The county of the tender a contract (or a payment's contract) came from, None where there is none: a
    finding's county when its project's is not known (checks.md: its project's county, else its tender's).
    Read from the tables as loaded: a contract signed after as_of still names its tender."""
    raw = ctx.raw
    if not all(t in raw and {k, c} <= set(raw[t].columns) for t, k, c in
               (("tenders", "tender_id", "county"), ("contracts", "contract_id", "tender_id"))):
        return [None] * len(entity_ids)

    def by_key(table: str, key: str, column: str) -> pd.Series:
        df = raw[table]
        df = df[~df[key].duplicated()]
        return pd.Series(df[column].to_numpy(), index=df[key].astype("str"))

    ids = pd.Series(entity_ids, dtype="object").astype("str")
    contract = ids.where(pd.Series(entity_types) == "contract")
    paid = pd.Series(entity_types) == "payment"
    if paid.any() and "payments" in raw and "contract_id" in raw["payments"].columns:
        contract = contract.where(~paid, lookup(ids[paid], by_key("payments", "payment_id", "contract_id")))
    tender = lookup(contract, by_key("contracts", "contract_id", "tender_id"))
    county = lookup(tender, by_key("tenders", "tender_id", "county"))
    return [None if _missing(c) or c == "" else c for c in county.tolist()]


def _of_projects(at: np.ndarray, by_project: pd.Series) -> list:
    """``by_project``'s value at each of the positions ``at`` (None where -1 or missing)."""
    found = pd.api.extensions.take(by_project.array, np.asarray(at, dtype="int64"), allow_fill=True)
    return [None if _missing(v) else v for v in found.tolist()]


def _entity_names(entity_types: list, entity_ids: list, ctx: Context) -> list:
    """The supplier's (or buyer's) name where the entity is one (checks.md revision 2), else empty."""
    suppliers = supplier_name_by_id(ctx)
    out = []
    for t, e in zip(entity_types, entity_ids):
        first = e.split("|", 1)[0] if isinstance(e, str) else None
        out.append(suppliers.get(first) if t == "supplier" else first if t == "buyer_group" else None)
    return out


def _details(spec: Check, rows: pd.DataFrame, ctx: Context) -> tuple[list[str], list[str]]:
    """Each row's detail in the report language and the values it quotes (JSON), made a wording and a
    field at a time: a template read and formatted once a row cost seconds on 150,000 findings."""
    if not spec.detail:
        return [""] * len(rows), ["{}"] * len(rows)
    formatter = ctx.cache(f"engine.formatter.{ctx.lang}", lambda: DetailFormatter(ctx.lang, supplier_name_by_id(ctx)))
    n = len(rows)
    variants = rows["variant"].tolist() if "variant" in rows else [""] * n
    quoted_columns = {f: rows[f].tolist() for f in spec.all_detail_fields() if f in rows}
    at_variant: dict = {}
    for i, variant in enumerate(variants):
        at_variant.setdefault(variant, []).append(i)
    details, values = [""] * n, ["{}"] * n
    for variant, at in at_variant.items():
        wording = spec.detail[variant][ctx.lang]
        fields = sorted(f for f in spec.detail_fields(variant) if f in quoted_columns)
        whole = len(at) == n
        quoted = {f: quoted_columns[f] if whole else [quoted_columns[f][i] for i in at] for f in fields}
        texts = formatter.format_columns(wording, quoted, len(at))
        for i, text, kept in zip(at, texts, _values_json(quoted, variant, len(at))):
            details[i], values[i] = text, kept
    return details, values


def _values_json(quoted: dict[str, list], variant: str, rows: int) -> list[str]:
    """Each row's quoted values as ``json.dumps({field: plain(value), ...}, ensure_ascii=False,
    sort_keys=True)`` spells them, with the variant (a change of wording is a change of the finding)."""
    columns = {f: plain_json_column(v) for f, v in quoted.items()}
    if variant:
        columns["variant"] = [encode_basestring(variant)] * rows
    if not columns:
        return ["{}"] * rows
    keys = sorted(columns)
    # '{"a": {}, "b": {}}' with the object's own braces doubled for str.format
    names = (encode_basestring(k).replace("{", "{{").replace("}", "}}") for k in keys)
    template = "{{" + ", ".join(f"{name}: {{}}" for name in names) + "}}"
    return [template.format(*row) for row in zip(*(columns[k] for k in keys))]


def _bases(spec: Check, rows: pd.DataFrame, ctx: Context) -> list[str]:
    """The basis each finding cites: the check's own per row (a dated rule's period), else the one
    in force on the row's ``event_date`` (``checks.bases``), else the check's."""
    if "basis" in rows:
        return [spec.basis if _missing(b) or b == "" else b for b in rows["basis"].tolist()]
    bases = ctx.params.get("bases") or {}
    if "event_date" in rows and spec.id in bases:
        return basis_on(bases, spec.id, rows["event_date"], spec.basis).tolist()
    return [spec.basis] * len(rows)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _spelled(value):
    """A value as the findings frame spells it: a string, or NaN when missing (pandas' ``str`` cast)."""
    if isinstance(value, str):
        return value
    return np.nan if _missing(value) else pd.Series([value], dtype="str").iloc[0]
