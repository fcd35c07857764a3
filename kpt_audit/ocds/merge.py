"""OCDS releases of one contracting process -> one compiled release (the standard's merge routine).

Rules (https://standard.open-contracting.org/latest/en/schema/merging/), applied
without the release schema so that nothing is fetched at run time:

* releases are merged in order of ``date`` (a stable sort: equal dates keep
  the order they were read in), each later value overriding the earlier one;
* objects are merged field by field, recursively; a field set to ``null``
  removes it from the compiled release;
* an array whose items are all objects carrying an ``id`` is merged by
  identifier: an item whose ``id`` is already there is merged into it, a new
  one is appended (two items with one ``id`` in the same release: the later
  one wins, as in the reference implementation);
* any other array (strings, numbers, objects without ``id``) is replaced as a
  whole;
* the release metadata ``id``, ``date`` and ``tag`` are not merged: the
  compiled release gets ``tag: ["compiled"]``, the latest ``date`` and
  ``id = "{ocid}-{date}"``.

Without the schema, the schema's ``wholeListMerge`` marks cannot be seen; an
array of objects with ids is therefore always merged by id, which is what the
standard prescribes for every array the schema does not mark.
"""
from __future__ import annotations

from typing import Iterable

OMITTED = ("id", "date", "tag")


def _by_identifier(items: list) -> bool:
    return bool(items) and all(isinstance(i, dict) and i.get("id") is not None for i in items)


def _merge_array(old, new: list) -> list:
    if not _by_identifier(new):
        # replaced whole: a new list, its items shared with the input (nothing here changes an object
        # in place, so sharing is safe and spares a deep copy of every release's documents and items)
        return list(new)
    if not isinstance(old, list) or not _by_identifier(old):
        old = []
    # ids compare as text: a publisher may write 1 in one release and "1" in the next
    out = list(old)
    where = {str(item["id"]): i for i, item in enumerate(out)}
    for item in new:
        key = str(item["id"])
        if key in where:
            out[where[key]] = merge_object(out[where[key]], item)
        else:
            where[key] = len(out)
            out.append(merge_object({}, item))
    return out


def merge_object(old: dict, new: dict) -> dict:
    """``new`` merged over ``old`` (neither is modified)."""
    out = dict(old) if isinstance(old, dict) else {}
    for key, value in new.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict):
            out[key] = merge_object(out.get(key), value)
        elif isinstance(value, list):
            if not value and _by_identifier(out.get(key) or []):
                continue  # an empty array adds nothing to an identifier merge
            out[key] = _merge_array(out.get(key), value)
        else:
            out[key] = value
    return out


def release_date(release: dict) -> str:
    date = release.get("date")
    return date if isinstance(date, str) else ""


def compile_releases(releases: Iterable[dict]) -> dict:
    """The compiled release of ``releases`` (all of one ocid)."""
    ordered = sorted(releases, key=release_date)
    compiled: dict = {}
    for release in ordered:
        compiled = merge_object(compiled, {k: v for k, v in release.items() if k not in OMITTED})
    ocid = compiled.get("ocid")
    date = max((release_date(r) for r in ordered), default="")
    head = {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": ["compiled"]}
    if not date:
        del head["date"]
    return {**head, **{k: v for k, v in compiled.items() if k != "ocid"}}
