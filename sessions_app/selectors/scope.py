"""Outlet scoping: what a user may see. Every selector narrows its rows through here."""

from django.db.models import Model, QuerySet

from sessions_app.roles import User, allowed_outlet_ids


def in_scope[RowModel: Model](
    rows: QuerySet[RowModel], *, user: User, outlet_field: str = "outlet_id"
) -> QuerySet[RowModel]:
    """The rows at the user's outlets (all of them for superusers)."""
    allowed = allowed_outlet_ids(user)
    if allowed is None:
        return rows
    return rows.filter(**{f"{outlet_field}__in": allowed})
