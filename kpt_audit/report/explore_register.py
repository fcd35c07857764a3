"""The explorer's register panel (issue 12): a finding's 核实 and 整改 fields, read from and written to
the register with the one validation the workbook import uses (``kpt_audit.register.edit``).

The panel shows the picked finding's fields as the register holds them, with their version; 保存 writes
what was changed, in one transaction, refused when someone else changed the finding since it was
read (reload, then edit again) or when a value is invalid (the message names field and value).
"""
from __future__ import annotations

import html

from ..errors import KptAuditError
from ..messages import text
from ..register.edit import get_finding, set_finding
from ..register.fields import CHOICES, EN_LABELS, HEADERS, HEADERS_EN, TEXT_FIELDS

class RegisterPanel:
    """Widgets for one finding's editable register fields; ``widget`` is what the explorer shows."""

    def __init__(self, register, by: str, lang: str = "zh"):
        import ipywidgets as w

        self.register, self.by, self.lang = register, by, lang
        self.finding_id, self.version, self.finding_no, self.loaded = None, None, "", {}
        headers = HEADERS if lang == "zh" else HEADERS_EN
        style, wide = {"description_width": "8em"}, w.Layout(width="36em")
        self.fields = {}
        for name, header in headers.items():
            if name in CHOICES:
                words = CHOICES[name] if lang == "zh" else EN_LABELS[name]
                self.fields[name] = w.Dropdown(description=header, options=list(words.values()), style=style)
            elif name in TEXT_FIELDS:
                self.fields[name] = w.Textarea(description=header, style=style, layout=wide)
            else:  # due date, rectified amount: typed as the workbook takes them
                self.fields[name] = w.Text(description=header, style=style)
        self.save = w.Button(description=text("explore.register.save", lang), icon="save", disabled=True)
        self.save.on_click(self.save_fields)
        self.message = w.HTML()
        self.widget = w.VBox([w.HTML(f"<b>{html.escape(text('explore.register.title', lang))}</b>"), *self.fields.values(),
                              w.HBox([self.save, self.message])])

    def _typed(self, value) -> str:
        return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))

    def load(self, finding_id: str | None) -> None:
        """Show ``finding_id``'s fields as the register holds them now (or nothing)."""
        self.finding_id, self.message.value = finding_id, ""
        self.save.disabled = True
        if not finding_id:
            return
        try:
            shown = get_finding(self.register, finding_id)
        except KptAuditError:
            self.message.value = html.escape(text("explore.register.missing", self.lang))
            return
        self.version, self.finding_no = shown["version"], shown["finding_no"]
        for name, control in self.fields.items():
            value = shown[name]
            if name in CHOICES and self.lang != "zh":  # the register answers in Chinese words
                code = next(c for c, word in CHOICES[name].items() if word == value)
                value = EN_LABELS[name][code]
            control.value = self._typed(value)
        self.loaded = {name: control.value for name, control in self.fields.items()}
        self.save.disabled = False

    def save_fields(self, _button=None) -> bool:
        """The button's callback: write the changed fields; True when the register changed."""
        changed = {name: control.value for name, control in self.fields.items()
                   if control.value != self.loaded.get(name)}
        for name in CHOICES:
            if name in changed and self.lang != "zh":  # back to the codes set_finding also takes
                changed[name] = next(c for c, word in EN_LABELS[name].items() if word == changed[name])
        if not changed:
            self.message.value = html.escape(text("explore.register.unchanged", self.lang))
            return False
        try:
            done = set_finding(self.register, self.finding_id, by=self.by, version=self.version, **changed)
        except KptAuditError as exc:
            self.message.value = f"<span style='color:#b00'>{html.escape(exc.text(self.lang))}</span>"
            return False
        self.load(self.finding_id)  # the new version, as stored
        self.message.value = html.escape(text("explore.register.saved", self.lang, finding_no=self.finding_no, by=self.by))
        return done
