"""Generated documentation: docs/checks.md from the registry, docs/data.md from the schema.

``python -m kpt_audit.docs`` (``make docs``) rewrites both; tests assert the
committed files equal what this module generates, so they cannot drift.
"""
from __future__ import annotations

import inspect
from pathlib import Path
from types import SimpleNamespace

from .params import describe_value, load_params, parameter_basis

ROOT = Path(__file__).resolve().parents[1]


def _value(v) -> str:
    return describe_value(v, "en")


def checks_markdown(examples: dict[str, dict] | None = None) -> str:
    """docs/checks.md: every registered check with condition, parameters, basis and an example finding.

    ``examples`` maps check_id -> one finding row (from the demo data).
    """
    from .checks import checks_by_area
    from .checks.catalogue import METRICS
    from .messages import text

    params = load_params()
    comments = parameter_basis()
    checks = {c.id: c for area in checks_by_area().values() for c in area}
    lines = [
        "# Checks",
        "",
        "Generated from the check registry by `make docs` (`python -m kpt_audit.docs`); do not edit by hand.",
        "Every parameter is in `params/default.yaml`; a county's own values go in `params/counties/<county>.yaml`.",
        "Events dated after `as_of` count as not yet happened (see `kpt_audit/checks/context.py`): the events",
        "checks.md lists. A tender's notice is not among them: a tender noticed after as_of is judged as recorded",
        "(its award after as_of does count as not made); PRC05 alone leaves it out, as it compares the notice",
        "with approvals that, after as_of, count as missing.",
        "",
        "A county's own file applies to its findings: its values, its dated lists and its `bases` for a check",
        "(each check's list replaces that check's; the other checks keep theirs). The entities a check could not",
        "judge (`partly judged` in not_run.csv) are counted for each county under that county's own parameters.",
        "A finding whose event date falls in no period of its check's dated `bases` has no basis in force to cite:",
        "it is not made and is counted as not judged (the condition itself does not move with the bases, so an",
        "entity that would not be a finding is judged whatever its date).",
        "",
        "| id | check | area | severity | entity |",
        "|---|---|---|---|---|",
    ]
    for c in checks.values():
        lines.append(f"| [{c.id}](#{c.id.lower()}) | {c.title['zh']} / {c.title.get('en', '')} | "
                     f"{text('area.' + c.area)} | {c.severity} | {c.entity_type} |")
    for c in checks.values():
        lines += ["", f"## {c.id}", "", f"**{c.title['zh']}** / {c.title.get('en', '')} (`{c.slug}`)", "",
                  f"- Area: {text('area.' + c.area)} ({c.area}); default severity: {c.severity}; entity: `{c.entity_type}`"
                  + ("; cross-county (always default parameters)" if c.cross_county else ""),
                  f"- 判定条件: {c.condition['zh']}",
                  f"- Finding when: {c.condition['en']}",
                  f"- 金额 / amount: {c.amount['zh']} / {c.amount['en']}",
                  f"- Basis: {c.basis}",
                  "- Needs: " + "; ".join(f"`{t}` ({', '.join(cols)})" for t, cols in c.inputs.items())]
        if c.event_date:
            lines.append(f"- Event date (dated rules): `{c.event_date}`")
        if c.id in (params.values.get("bases") or {}):
            lines.append(f"- Basis by period (`checks.bases.{c.id}`): {_value(params.values['bases'][c.id])}")
        if c.optional:
            lines.append("- Uses when present: " + ", ".join(f"`{t}.{col}`" for t, col in c.optional))
        if c.params:
            lines.append("- Parameters:")
            for name in c.params:
                lines.append(f"  - `{name}` = {_value(params.values[name])} — {comments.get(name, '')}")
        ex = (examples or {}).get(c.id)
        if ex:
            amount = "" if ex.get("amount") is None or ex.get("amount") != ex.get("amount") else \
                f"; amount {ex['amount'] / 10000:,.2f}万元"
            with_params = f" with {ex['with']}" if ex.get("with") else ""
            lines.append(f"- Example (demo data{with_params}): `{ex['entity_id']}` "
                         f"({ex.get('county') or '未指定'}{amount}): {ex['detail']}")
    lines += ["", "## County tables (`metrics/*.csv`)", "",
              "Written beside the findings, one row per group, amounts in yuan, rates as fractions (empty when",
              "the denominator is 0); what each holds, from its definition:", ""]
    for m in METRICS.values():
        lines.append(f"- `metrics/{m.name}.csv`: " + " ".join(inspect.getdoc(m.func).split()))
    return "\n".join(lines) + "\n"


def demo_examples() -> dict[str, dict]:
    """The first finding of each check on the demo city (generated in memory)."""
    from .checks import run_checks
    from .schema.coerce import coerce_tables
    from .synth.demo import demo_data

    from .synth.plant_subsidies import AGE_RULES

    data = demo_data()
    demo = SimpleNamespace(tables=coerce_tables(data.tables), unknown=data.unknown)  # with its unreadable cells
    params = load_params(as_of=data.as_of)
    examples = {r["check_id"]: r for r in run_checks(demo, params).findings.drop_duplicates("check_id")
                .to_dict("records")}
    # a check off by default (SUB03) is shown with the program rules that turn it on in the demo
    params.values["program_rules"] = AGE_RULES
    for r in run_checks(demo, params, checks=["SUB03"]).findings.drop_duplicates("check_id").to_dict("records"):
        examples.setdefault(r["check_id"], {**r, "with": f"program_rules {AGE_RULES}"})
    return examples


def main() -> None:
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "checks.md").write_text(checks_markdown(demo_examples()), encoding="utf-8")
    from .schema.docs import data_model_markdown

    (docs / "data.md").write_text(data_model_markdown(), encoding="utf-8")
    print(f"wrote {docs / 'checks.md'} and {docs / 'data.md'}")


if __name__ == "__main__":
    main()
