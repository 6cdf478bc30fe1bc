"""Operations that change state: call Final POS first, then update the local copy briefly.

No database transaction is ever held open across a network call. One module per job; import a
function from the module it lives in (``from sessions_app.services.shift_close import ...``).
"""
