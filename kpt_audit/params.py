"""Run parameters: params YAML -> validated, merged values.

Layout (see ``params/default.yaml``)::

    as_of: 2020-09-30     # the audit date; the shipped default sets none
    lang: zh
    loader: {aliases: {table: {header: column}}, units: {table: {column: 万元}}}
    checks: {idle_months: 12, ...}
    word: {findings_template: FILE.docx, evidence_template: FILE.docx}   # an office's own letterhead

A user file is merged over the default, so it names only what differs.
Per-county files ``counties/<county>.yaml`` beside the params file hold a
``checks:`` section applied to that county's findings.  An unknown key or a
value of the wrong type is a :class:`ParamsError` naming the key.

The audit date is an explicit input: the ``as_of`` argument (``--as-of``), else
``as_of:`` in the user's params file.  Without either, ``Params.as_of`` is None
(``validate`` needs none); the commands that run checks stop with
:class:`~kpt_audit.errors.MissingAsOfError` (``kpt_audit.pipeline``).  Dates are
read by the loader's one parser of a full date (``load.parse.parse_day``).

Dated parameters (checks.md revision 2): a parameter whose default is a list of
periods ``[{from?, to?, basis, <value keys>}]`` follows the law in force on an
event date; a user or county file may give it as such a list (which replaces
the whole default list) or as a plain value (one period for all dates).  A
period of a mapping parameter carries the mapping's keys (``project_total`` may
appear in some periods only); a period of a number carries ``value``.
``checks.bases`` maps a check id to periods with ``basis`` only (or to one basis, text: one period
for all dates); a file's list for a
check replaces that check's, the other checks keep theirs.  Every period names its ``basis`` (the finding cites it; a period without one is
refused).  Periods are in date order, ``from``/``to`` inclusive and optional, gaps
allowed, overlaps a :class:`ParamsError` naming both.  ``program_rules`` is the only home of SUB02
caps and SUB03 ages; revision 1's ``program_caps`` and ``min_enterprise_age_days``
are refused naming the new key, under ``checks:`` or at the top of a file.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import ParamsError, UsageError
from .messages import CATALOGUE, text as message

TOP_KEYS = {"as_of", "lang", "loader", "checks", "word"}
LOADER_KEYS = {"aliases", "units"}
LANGS = ("zh", "en")


def default_params_file() -> Path:
    """``params/default.yaml`` of the checkout, else the copy shipped in the package."""
    repo = Path(__file__).resolve().parents[1] / "params" / "default.yaml"
    if repo.is_file():
        return repo
    return Path(__file__).resolve().parent / "data" / "params" / "default.yaml"


def parameter_basis() -> dict[str, str]:
    """The basis comment of each parameter in the default params file (shown in reports and docs)."""
    out = {}
    for line in default_params_file().read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*([a-z_]+):.*?#\s*(.+)$", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


@dataclass
class Params:
    values: dict[str, Any]
    as_of: pd.Timestamp | None  # None: no audit date given (``validate`` needs none)
    lang: str = "zh"
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    units: dict[str, dict[str, str]] = field(default_factory=dict)
    county_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = ""
    as_of_source: str | None = None  # where as_of came from: "argument", a params file's path, or None
    # the Word drafts' templates: "findings"/"evidence" -> path (None: the shipped ones; kpt_audit.report.word)
    word_templates: dict[str, Path] | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def for_county(self, county: str | None) -> dict[str, Any]:
        return {**self.values, **self.county_overrides.get(county or "", {})}

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.strftime("%Y-%m-%d") if self.as_of is not None else None, "lang": self.lang,
                "loader": {"aliases": self.aliases, "units": self.units},
                "checks": written(self.values), "county_overrides": written(self.county_overrides)}


def params_digest(params: Params) -> str:
    """SHA-256 of the parameters in force (defaults, the params file, county files; the report language
    left out: a finding and its values are the same in zh and en), so two runs or plans can be told to
    have used the same ones whatever the files were called."""
    judged = {k: v for k, v in params.to_dict().items() if k != "lang"}
    return hashlib.sha256(json.dumps(judged, sort_keys=True, ensure_ascii=False, default=str)
                          .encode("utf-8")).hexdigest()


# how a Chinese report words a parameter's empty values and the keys of its mappings (en keeps the codes)
VALUE_WORDS_ZH = {None: "不设", True: "是", False: "否"}
KEY_WORDS_ZH = {"works": "工程", "goods": "货物", "services": "服务", "project_total": "项目总投资",
                "cap": "金额上限", "min_enterprise_age_days": "最短成立天数"}


def describe_value(value, lang: str = "zh") -> str:
    """A parameter's value as a report or the docs show it; a dated one period by period
    (``至2018-05-31：works 2,000,000 …（basis）；2018-06-01起：…``)."""
    zh = lang != "en"

    def numbers(v) -> str:
        if isinstance(v, dict):
            return ", ".join(f"{KEY_WORDS_ZH.get(k, k) if zh else k} {numbers(x)}" for k, x in v.items()) \
                or ("未设" if zh else "{}")
        if isinstance(v, bool) or v is None:
            return VALUE_WORDS_ZH[v] if zh else str(v)
        if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1000):
            return f"{int(v):,}"
        return str(v)

    if not isinstance(value, list):
        return numbers(value)
    parts = []
    for p in value:
        # a Timestamp as loaded, or text as a slice's meta.json keeps it
        start = pd.Timestamp(p["from"]).strftime("%Y-%m-%d") if p.get("from") is not None else None
        end = pd.Timestamp(p["to"]).strftime("%Y-%m-%d") if p.get("to") is not None else None
        if lang == "en":
            span = f"{start} to {end}" if start and end else f"from {start}" if start else f"to {end}" if end \
                else "all dates"
        else:
            span = f"{start}至{end}" if start and end else f"{start}起" if start else f"至{end}" if end else "全部日期"
        values = {k: v for k, v in p.items() if k not in PERIOD_KEYS}
        shown = numbers(values["value"]) if set(values) == {"value"} else numbers(values)
        basis = f" ({p['basis']})" if p.get("basis") else ""
        parts.append(f"{span}: {shown}{basis}" if lang == "en" else f"{span}：{shown}{basis}")
    return "; ".join(parts) if lang == "en" else "；".join(parts)


def written(value):
    """``value`` as a params file would write it (period dates as YYYY-MM-DD): JSON-safe."""
    if isinstance(value, dict):
        return {k: written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [written(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases: params never need them and they enable 'billion laughs'."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ParamsError(key="err.params_yaml_alias", anchor=event.anchor, line=event.start_mark.line + 1)
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParamsError(key="err.params_not_found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParamsError(key="err.params_unreadable", path=path, error=exc) from None
    try:
        data = yaml.load(text, Loader=_SafeLoader)
    except ParamsError as exc:
        raise ParamsError(key="err.params_in_file", path=path, said=exc.text) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ParamsError(key="err.params_yaml", path=path, problem=exc.problem or exc.context,
                          where=lambda lang: message("err.params_yaml_where", lang, line=mark.line + 1,
                                                  column=mark.column + 1) if mark else "") from None
    except yaml.YAMLError as exc:
        raise ParamsError(key="err.params_yaml", path=path, problem=exc, where="") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # YAML's resolvers build dates and numbers from plain scalars: 2020-13-45 fails in datetime.date
        raise ParamsError(key="err.params_bad_scalar", path=path, error=exc) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(key="err.params_not_mapping", path=path, kind=type(data).__name__)
    return data


def _check_type(path, key: str, value: Any, default: Any) -> Any:
    """``value`` converted to the type of ``default``, or a ParamsError naming ``key``."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, dict):
        ok = isinstance(value, dict) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values())
    else:
        ok = isinstance(value, type(default))
    if not ok or (isinstance(value, float) and value != value):
        kind = type(default).__name__
        raise ParamsError(key="err.params_type", path=path, key_name=key, default=default, value=value,
                          kind=lambda lang: message(f"type.{kind}", lang) if f"type.{kind}" in CATALOGUE else kind)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ParamsError(key="err.params_negative", path=path, key_name=key, value=value)
    return value


# revision 1 keys that moved, and where to
MOVED = {"program_caps": "program_rules: {PROGRAM: {cap: AMOUNT}}",
         "min_enterprise_age_days": "program_rules: {PROGRAM: {min_enterprise_age_days: N}}"}
PERIOD_KEYS = {"from", "to", "basis"}
PROGRAM_RULE_KEYS = {"min_enterprise_age_days": int, "cap": float}
NULLABLE_INTS = {"start_window_months"}  # default null: off unless set


def _refuse_moved(path, top_keys) -> None:
    """Revision 1's keys written at the top of a file are refused naming where they moved."""
    moved = sorted(set(top_keys) & set(MOVED))
    if moved:
        raise ParamsError(key="err.params_moved_top", path=path, key_name=moved[0], moved=MOVED[moved[0]])


def _merge_checks(path, base: dict, new: Any) -> dict:
    if new is None:
        return dict(base)
    if not isinstance(new, dict):
        raise ParamsError(key="err.params_checks_mapping", path=path)
    out = dict(base)
    for key, value in new.items():
        if key in MOVED:
            raise ParamsError(key="err.params_moved", path=path, key_name=key, moved=MOVED[key])
        if key not in base:
            close = ", ".join(_close(str(key), base))
            raise ParamsError(key="err.params_unknown_parameter", path=path, key_name=key,
                              close=lambda lang: close or message("err.params_see_default", lang))
        out[key] = _checked(path, f"checks.{key}", value, base[key])
    return out


def _checked(path, key: str, value: Any, default: Any) -> Any:
    """``value`` validated against the default's form: a dated list, bases, program rules or a plain value."""
    name = key.split(".")[-1]
    if name == "bases":  # a check's periods replace that check's, the other checks keep theirs
        return {**(default or {}), **_bases(path, key, value)}
    if name == "program_rules":
        return _program_rules(path, key, value)
    if name in NULLABLE_INTS:
        if value is None:
            return None
        return _check_type(path, key, value, 1)
    if isinstance(default, list):  # dated: a list of periods, or one plain value for all dates
        plain_default = _plain_form(default)
        if isinstance(value, list):
            return _periods(path, key, value, plain_default)
        return _check_type(path, key, value, plain_default)
    if isinstance(value, list):
        raise ParamsError(key="err.params_not_dated", path=path, key_name=key)
    return _check_type(path, key, value, default)


def _plain_form(periods: list) -> Any:
    """What one period's values look like: a number (``value``) or a mapping of numbers."""
    first = periods[0]
    if "value" in first:
        return first["value"]
    return {k: v for p in periods for k, v in p.items() if k not in PERIOD_KEYS}


def _day(path, key: str, value) -> pd.Timestamp:
    day = as_of_date(value)
    if day is None:
        raise ParamsError(key="err.params_date", path=path, key_name=key, value=value)
    return day


def _periods(path, key: str, periods: list, plain: Any, values: bool = True) -> list[dict]:
    """Validated periods of ``key`` (dates as Timestamps), in order and without overlap."""
    if not periods:
        raise ParamsError(key="err.params_no_period", path=path, key_name=key)
    out = []
    for i, period in enumerate(periods, 1):
        where = f"{key}[{i}]"
        if not isinstance(period, dict):
            raise ParamsError(key="err.period_mapping", path=path, where=where)
        p = {"from": _day(path, f"{where}.from", period["from"]) if period.get("from") is not None else None,
             "to": _day(path, f"{where}.to", period["to"]) if period.get("to") is not None else None,
             "basis": period.get("basis")}
        if p["from"] is not None and p["to"] is not None and p["from"] > p["to"]:
            raise ParamsError(key="err.period_reversed", path=path, where=where, end=f"{p['to']:%Y-%m-%d}",
                              begin=f"{p['from']:%Y-%m-%d}")
        rest = {k: v for k, v in period.items() if k not in PERIOD_KEYS}
        if not values:
            if rest:
                raise ParamsError(key="err.period_dates_only", path=path, where=where, rest=", ".join(rest))
        elif isinstance(plain, dict):
            unknown = set(rest) - set(plain)
            if unknown:
                raise ParamsError(key="err.period_unknown_keys", path=path, where=where,
                                  unknown=", ".join(sorted(unknown)), allowed=", ".join(plain))
            for k, v in rest.items():
                p[k] = _check_type(path, f"{where}.{k}", v, plain[k])
        else:
            if set(rest) - {"value"} or "value" not in rest:
                raise ParamsError(key="err.period_value", path=path, where=where,
                                  rest=lambda lang: ", ".join(rest) or message("err.nothing", lang))
            p["value"] = _check_type(path, f"{where}.value", rest["value"], plain)
        # every period cites its basis (checks.md: periods {from?, to?, basis, …}): a finding never cites none
        if not isinstance(p["basis"], str) or not p["basis"].strip():
            raise ParamsError(key="err.period_basis", path=path, where=where)
        out.append(p)
    def start(p):
        return p["from"] if p["from"] is not None else pd.Timestamp.min

    def end(p):
        return p["to"] if p["to"] is not None else pd.Timestamp.max

    # the pair that really overlaps is named, wherever it stands; then the order is checked
    for i, a in enumerate(out, 1):
        for j, b in enumerate(out[i:], i + 1):
            if start(b) <= end(a) and start(a) <= end(b):
                raise ParamsError(key="err.periods_overlap", path=path, key_name=key, i=i, j=j,
                                  a=lambda lang, a=a: _span(a, lang), b=lambda lang, b=b: _span(b, lang))
    for i, (a, b) in enumerate(zip(out, out[1:]), 1):
        if start(b) < start(a):
            raise ParamsError(key="err.periods_order", path=path, key_name=key, i=i, j=i + 1,
                              a=lambda lang, a=a: _span(a, lang), b=lambda lang, b=b: _span(b, lang))
    return out


def _span(p: dict, lang: str = "en") -> str:
    start = f"{p['from']:%Y-%m-%d}" if p["from"] is not None else "…"
    end = f"{p['to']:%Y-%m-%d}" if p["to"] is not None else "…"
    return message("err.span", lang, start=start, end=end)


def _bases(path, key: str, value) -> dict:
    if not isinstance(value, dict):
        raise ParamsError(key="err.bases_mapping", path=path, key_name=key)
    out = {}
    for check_id, periods in value.items():
        if not re.fullmatch(r"[A-Z]{2,3}\d{2}", str(check_id)):
            raise ParamsError(key="err.bases_check_id", path=path, key_name=key, check_id=check_id)
        if isinstance(periods, str) and periods.strip():  # a plain basis: one period covering all dates
            periods = [{"basis": periods}]
        if not isinstance(periods, list):
            raise ParamsError(key="err.bases_periods", path=path, key_name=key, check_id=check_id)
        out[str(check_id)] = _periods(path, f"{key}.{check_id}", periods, None, values=False)
    return out


def _program_rules(path, key: str, value) -> dict:
    if not isinstance(value, dict):
        raise ParamsError(key="err.program_rules_mapping", path=path, key_name=key)
    out = {}
    for program, rules in value.items():
        if not isinstance(rules, dict):
            raise ParamsError(key="err.program_rule_mapping", path=path, key_name=key, program=program)
        unknown = set(rules) - set(PROGRAM_RULE_KEYS)
        if unknown:
            raise ParamsError(key="err.program_rule_keys", path=path, key_name=key, program=program,
                              unknown=", ".join(sorted(map(str, unknown))), allowed=", ".join(PROGRAM_RULE_KEYS))
        out[str(program)] = {k: _check_type(path, f"{key}.{program}.{k}", v, PROGRAM_RULE_KEYS[k](0))
                             for k, v in rules.items()}
    return out


def _close(word: str, options) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, [str(o) for o in options], n=3, cutoff=0.5)


def as_of_date(value) -> pd.Timestamp | None:
    """A full date (``2020-09-30``, ``2020/9/30``, ``2020年9月30日``, a date object), or None."""
    from .load.parse import parse_day

    return parse_day(value)


def _as_timestamp(path, value) -> pd.Timestamp:
    day = as_of_date(value)
    if day is None:
        raise ParamsError(key="err.as_of_file", path=path, value=value)
    return day


def _mapping_of_mappings(path, key: str, value: Any) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ParamsError(key="err.loader_mapping", path=path, key_name=key)
    return {str(t): {str(k): str(v) for k, v in m.items()} for t, m in value.items()}


def _check_loader(path, aliases: dict, units: dict) -> None:
    """Aliases name known tables and columns, units are known units of amount columns."""
    from .load.headers import UNIT_FACTORS
    from .schema.tables import TABLES

    for key, mapping in (("aliases", aliases), ("units", units)):
        for table in mapping:
            if table not in TABLES:
                raise ParamsError(key="err.loader_table", path=path, key_name=key, table=table, tables=", ".join(TABLES))
    for table, mapping in aliases.items():
        for header, column in mapping.items():
            if column not in TABLES[table].column_names:
                raise ParamsError(key="err.loader_alias_column", path=path, table=table, header=header, column=column,
                                  columns=", ".join(TABLES[table].column_names))
    for table, mapping in units.items():
        amounts = [c.name for c in TABLES[table].columns if c.kind == "amount"]
        for column, unit in mapping.items():
            if column not in amounts:
                raise ParamsError(key="err.loader_unit_column", path=path, table=table, column=column,
                                  amounts=lambda lang, amounts=amounts: ", ".join(amounts) or message("err.none", lang))
            if unit not in UNIT_FACTORS:
                raise ParamsError(key="err.loader_unit", path=path, table=table, column=column, unit=unit,
                                  units=", ".join(UNIT_FACTORS))


def load_params(path=None, as_of=None, lang=None, counties_dir=None) -> Params:
    """Defaults, merged with ``path`` (if given), then ``as_of``/``lang`` arguments.

    as_of: the argument, else the user file's ``as_of:`` (else the default file's, which the
    shipped one does not set), else None.  A bad argument is a :class:`UsageError` naming
    ``as_of``; a bad date in a file a :class:`ParamsError` naming that file.
    """
    default_path = default_params_file()
    default = _read_yaml(default_path)
    values = {k: _checked(default_path, f"checks.{k}", v, v) for k, v in (default.get("checks") or {}).items()}
    file_as_of, file_lang = default.get("as_of"), default.get("lang", "zh")
    as_of_file = str(default_path) if file_as_of is not None else None
    loader = dict(default.get("loader") or {})
    source = str(default_path)
    word_templates = None
    if path is not None:
        path = Path(path)
        user = _read_yaml(path)
        _refuse_moved(path, user)
        for key in user:
            if key not in TOP_KEYS:
                raise ParamsError(key="err.params_unknown_key", path=path, key_name=key, allowed=", ".join(sorted(TOP_KEYS)),
                                  close=", ".join(_close(str(key), TOP_KEYS)) or "-")
        values = _merge_checks(path, values, user.get("checks"))
        if user.get("as_of") is not None:
            file_as_of, as_of_file = user["as_of"], str(path)
        file_lang = user.get("lang", file_lang)
        user_loader = user.get("loader") or {}
        if not isinstance(user_loader, dict):
            raise ParamsError(key="err.loader_not_mapping", path=path)
        for key in user_loader:
            if key not in LOADER_KEYS:
                raise ParamsError(key="err.loader_key", path=path, key_name=key)
        loader.update(user_loader)
        if user.get("word") is not None:
            from .report.word import template_paths  # only when an office names its own templates

            word_templates = template_paths(user["word"], path)
        source = str(path)
    chosen_lang = lang or file_lang
    if chosen_lang not in LANGS:
        raise ParamsError(key="err.params_lang", path=source, langs=", ".join(LANGS), value=chosen_lang)
    if as_of is not None:
        when, as_of_source = as_of_date(as_of), "argument"
        if when is None:
            raise UsageError(key="err.as_of_argument", value=as_of)
    elif file_as_of is not None:
        when, as_of_source = _as_timestamp(as_of_file, file_as_of), as_of_file
    else:
        when, as_of_source = None, None
    params = Params(values=values, as_of=when, lang=chosen_lang, as_of_source=as_of_source,
                    aliases=_mapping_of_mappings(source, "aliases", loader.get("aliases")),
                    units=_mapping_of_mappings(source, "units", loader.get("units")), source=source,
                    word_templates=word_templates)
    _check_loader(source, params.aliases, params.units)
    folder = Path(counties_dir) if counties_dir else (Path(path).parent if path else default_path.parent) / "counties"
    if folder.is_dir():
        for f in sorted(folder.glob("*.yaml")):
            data = _read_yaml(f)
            extra = set(data) - {"checks"}
            _refuse_moved(f, extra)
            if extra:
                raise ParamsError(key="err.county_file", path=f, extra=", ".join(sorted(extra)))
            merged = _merge_checks(f, values, data.get("checks"))
            params.county_overrides[f.stem] = {k: v for k, v in merged.items() if v != values[k]}
    return params
