"""Settings of the OCP red-flag indicators, read from cardinal-rs's INI settings file.

The file format is the reference engine's own (``ocdscardinal init`` writes a
template): global keys before any section, ``[exclusions]``, one section per
indicator (``[R024]`` …) whose presence *enables* that indicator, and
``[R003.procurement_method_details]`` mapping a ``/tender/procurementMethodDetails``
value to its own R003 threshold.  The sections the reference's ``prepare``
command reads (``[defaults]``, ``[codelists.*]`` …) are accepted and ignored
here, so one settings file serves both.  An unknown key is an error, as there.

``Settings()`` (no file) enables every indicator with its default parameters,
which is what the reference's ``init`` template does; a file enables only the
sections it has.
"""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SettingsError  # the command line's usage error (exit 2); defined there once

INDICATORS = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")

# Sections of the reference engine's settings file that concern other commands
# (``prepare``) or indicators it has and we do not: accepted, not used.
IGNORED_SECTIONS = ("defaults", "redactions", "corrections", "modifications", "codelists.")
UNSUPPORTED_INDICATORS = ("R044", "R055")

GLOBAL_KEYS = {"currency", "no_price_comparison_procurement_methods", "price_comparison_procurement_methods"}

# key -> kind, per indicator section; kinds as the reference deserialises them
_KEYS = {
    "R003": {"threshold": "int", "procurement_methods": "str"},
    "R018": {"procurement_methods": "str"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "uint", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "uint"},
    "R036": {},
    "R038": {"threshold": "float", "minimum_submitted_bids": "uint", "minimum_contracting_processes": "uint"},
    "R048": {"digits": "uint", "threshold": "uint", "minimum_contracting_processes": "uint"},
    "R058": {"threshold": "float"},
}


def split_pipes(value: str | None) -> frozenset[str]:
    """A pipe-separated list as the reference splits it: no trimming, one trailing empty item dropped."""
    if value is None:
        return frozenset()
    parts = value.split("|")
    if parts[-1] == "":
        parts.pop()
    return frozenset(parts)


@dataclass
class Settings:
    """Which indicators run and with what parameters; ``None`` means the reference's default."""

    enabled: tuple[str, ...] = INDICATORS
    currency: str | None = None
    no_price_comparison_procurement_methods: str | None = None
    price_comparison_procurement_methods: str | None = None
    exclude_procurement_method_details: str | None = None
    # per indicator: {key: value} as written in its section
    params: dict[str, dict] = field(default_factory=dict)
    r003_procurement_method_details: dict[str, int] = field(default_factory=dict)

    def get(self, indicator: str, key: str, default=None):
        value = self.params.get(indicator, {}).get(key)
        return default if value is None else value

    def is_enabled(self, indicator: str) -> bool:
        return indicator in self.enabled

    # Derived settings, spelled as the methodology pages name them.
    @property
    def excluded_details(self) -> frozenset[str]:
        return split_pipes(self.exclude_procurement_method_details)

    @property
    def price_comparison_include(self) -> frozenset[str]:
        return split_pipes(self.price_comparison_procurement_methods)

    @property
    def price_comparison_exclude(self) -> frozenset[str]:
        return split_pipes(self.no_price_comparison_procurement_methods)


def _parse_ini(text: str) -> dict[str, dict[str, str]]:
    """Sections -> {key: raw value}; keys before the first section go under ``""``."""
    sections: dict[str, dict[str, str]] = {"": {}}
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise SettingsError(f"line {number}: unclosed section header {raw!r}")
            current = line[1:-1].strip()
            sections.setdefault(current, {})
            continue
        if "=" not in line:
            raise SettingsError(f"line {number}: expected key = value, got {raw!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        sections[current][key] = value
    return sections


def _convert(kind: str, value: str, where: str):
    try:
        if kind == "str":
            return value
        if kind == "float":
            number = float(value)
            if math.isnan(number):
                raise ValueError
            return number
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError
        number = int(value)
        if kind == "uint" and number < 0:
            raise ValueError
        return number
    except ValueError:
        expected = {"float": "a number", "int": "an integer", "uint": "a natural number"}[kind]
        raise SettingsError(f"{where}: expected {expected}, got {value!r}") from None


def settings_from_ini_text(text: str) -> Settings:
    sections = _parse_ini(text)
    settings = Settings(enabled=())
    enabled = []
    for key, value in sections.pop("").items():
        if key not in GLOBAL_KEYS:
            raise SettingsError(f"unknown global key {key!r}")
        setattr(settings, key, value)
    for name, values in sections.items():
        if name == "exclusions":
            for key, value in values.items():
                if key != "procurement_method_details":
                    raise SettingsError(f"exclusions: unknown key {key!r}")
                settings.exclude_procurement_method_details = value
        elif name == "R003.procurement_method_details":
            if "R003" not in sections:
                # the reference builds R003's settings from this sub-section too, which enables it
                enabled.append("R003")
            settings.r003_procurement_method_details = {
                key: _convert("int", value, f"{name}.{key}") for key, value in values.items()}
        elif name in _KEYS:
            enabled.append(name)
            params = {}
            for key, value in values.items():
                if key not in _KEYS[name]:
                    raise SettingsError(f"{name}: unknown key {key!r}")
                params[key] = _convert(_KEYS[name][key], value, f"{name}.{key}")
            settings.params[name] = params
        elif name in UNSUPPORTED_INDICATORS:
            warnings.warn(f"[{name}] is not computed by kpt-audit; section ignored", stacklevel=2)
        elif name in IGNORED_SECTIONS or name.startswith("codelists."):
            continue
        else:
            raise SettingsError(f"unknown section [{name}]")
    settings.enabled = tuple(code for code in INDICATORS if code in enabled)
    return settings


def read_settings(ini_path) -> Settings:
    """Settings from a reference-engine INI file (a section present enables its indicator).

    A file that cannot be read or used is a :class:`SettingsError` naming it."""
    try:
        text = Path(ini_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings file {ini_path} cannot be read: {exc}") from None
    try:
        return settings_from_ini_text(text)
    except SettingsError as exc:
        raise SettingsError(f"settings file {ini_path}: {exc}") from None
