"""The review queue: approve with a reason and a comment straight from the list."""

from django.http import HttpResponse
from django.shortcuts import render

from sessions_app.drafts import typed_take
from sessions_app.forms import ApproveShiftForm
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.catalog import outlets_for
from sessions_app.selectors.review import ReviewItem, approval_needs_a_reason, review_queue
from sessions_app.views.common import upstream_version


@manager_required
def review_queue_view(request: AuthenticatedRequest) -> HttpResponse:
    outlet = request.GET.get("outlet", "")  # the board's outlet, when it shows one
    chosen = outlets_for(user=request.user).filter(id=outlet).values_list("name", flat=True)
    outlet_name = (chosen.first() or "") if outlet else ""
    queue = review_queue(user=request.user, outlet_id=outlet if outlet_name else "")
    rows = [(item, _approve_form(request, item)) for item in queue.items]
    return render(
        request, "review/queue.html", {"queue": queue, "rows": rows, "outlet_name": outlet_name}
    )


def _approve_form(request: AuthenticatedRequest, item: ReviewItem) -> ApproveShiftForm:
    """A shift's approval form, with ids of its own per shift and the names the approve view
    reads; an approval refused comes back with what was typed, checked again so each field
    says what it needs."""
    version = upstream_version(item.record)
    kept = typed_take(request, f"approve:{item.record.id}")
    form = ApproveShiftForm(
        {**kept, "updated_at": version} if kept else None,
        auto_id=f"id_{item.record.id}_%s",
        initial={"updated_at": version},
        reason_required=approval_needs_a_reason(item.record),
    )
    if form.is_bound:
        form.is_valid()
    return form
