"""The audit trail page: every write the dashboard attempted, filterable."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.audit import audit_list

ACTIONS = [
    "open",
    "close",
    "movement",
    "approve",
    "correct",
    "reopen",
    "delete",
    "import",
    "setup",
    "staff",
]


@manager_required
def audit_list_view(request: AuthenticatedRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    action = action if action in ACTIONS else ""
    actor = request.GET.get("actor", "")[:100]
    entries = audit_list(user=request.user, action=action, actor=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "actions": ACTIONS,
            "action": action,
            "actor": actor,
            "query": query.urlencode(),
        },
    )
