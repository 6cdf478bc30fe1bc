"""The close: its arithmetic and its report, one module per job; import from the module.

- sales.py: the shift's sales by payment method, in the drawer's currency.
- expected.py: what each method should come to; cash is what the drawer should hold.
- variance.py: counted against expected, over or short, and the variance policy.
- figures.py: everything a close works out from the count (``close_figures``).
- report.py: the closing report this project keeps in a session's ``closingReportData``
  (contract decision 6), the one module that reads and writes its format; its parts are in
  parts.py and drawer.py, its single values in values.py.
- till_report.py: a till's own report, read as figures.

Reading the report is tolerant: a report written by a till, by an older version or in an
unexpected shape never raises. A document that is not ours is kept whole as ``foreign``; in
ours, a key this version does not know is kept in ``extra``, and a part that cannot be read is
kept as it was in ``unreadable`` and written back untouched. Writing is strict: money as
two-decimal strings, times as UTC ISO 8601 with a ``Z``.
"""
