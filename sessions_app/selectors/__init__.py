"""Read-only queries the pages ask, answered from local tables only. One module per page or
concern; import a function from the module it lives in
(``from sessions_app.selectors.board import board_outlets``)."""
