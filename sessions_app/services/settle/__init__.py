"""Settling a write whose answer was lost: Final POS may have made it, so it is looked for
before anyone is told anything. Every kind is settled here, one module each:

- ``updates``: an update, settled at once by reading the record again (``settled``);
- ``opens``: an open, which cannot be (Final POS lists no sessions): the till is held and the
  shift looked for on evidence (``pending_open_check``): its sales, the till's status, or a
  manager's word after looking at the till.
- ``landed``: a held open found by any read of its shift (the index save calls it): the
  till let go and the open audited as landed.

Import each from its module; this package re-exports nothing."""
