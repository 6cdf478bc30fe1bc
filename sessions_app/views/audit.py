"""The audit trail page: every write the dashboard attempted, filterable."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from sessions_app.forms.audit import AUDIT_ACTIONS, AuditFilterForm
from sessions_app.roles import AuthenticatedRequest, manager_required
from sessions_app.selectors.audit import audit_list


@manager_required
def audit_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    form.is_valid()  # an invalid filter shows its error; the valid ones still apply
    action = form.cleaned_data.get("action", "")
    actor = form.cleaned_data.get("actor", "")
    entries = audit_list(user=request.user, action=action, actor=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "form": form,
            "actions": AUDIT_ACTIONS,
            "action": action,
            "actor": actor if "actor" not in form.errors else "",
            "query": query.urlencode(),
        },
    )
