"""Keyboard behaviour Streamlit's widgets lack, added to the page by `dashboard.py`.

Streamlit 1.67's date field (react-aria segments) commits a typed date only when the focus
leaves the field: after typing « 01/04/2020 – 15/05/2020 » and pressing Enter, the field
showed the new dates while every figure still covered the old period, until a click
elsewhere. `ENTER_COMMITS_DATES_SCRIPT` turns Enter in a date field into Escape, the key
Streamlit's field does commit on (a complete range is applied, the calendar closed), then
leaves the field.
"""

from __future__ import annotations

ENTER_COMMITS_DATES_SCRIPT = """
<script>
(() => {
  if (window.__observatoireEnter) return;  // drawn on every run: one listener per page load
  window.__observatoireEnter = true;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    if (!(target instanceof Element) || !target.closest('[data-testid="stDateInput"]')) return;
    event.preventDefault();
    event.stopPropagation();
    target.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true}));
    target.blur();
  }, true);
})();
</script>
"""
