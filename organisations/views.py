from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.selectors import history_for
from common.home import panels_for

from .models import Organisation
from .selectors import organisation_get_for_user, organisation_list_for_user


@login_required
def home(request):
    memberships = request.user.active_memberships
    return render(
        request,
        "organisations/home.html",
        {"memberships": memberships, "panels": panels_for(request.user)},
    )


@login_required
def organisation_list(request):
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    queryset = organisation_list_for_user(request.user, kind=kind, query=query)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": page, "kinds": Organisation.Kind.choices, "kind": kind, "q": query},
    )


@login_required
def organisation_detail(request, pk):
    organisation = organisation_get_for_user(request.user, pk)
    children = Organisation.objects.get_children(organisation).select_related("region")
    members = organisation.memberships.filter(is_active=True).select_related("user")
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "ancestors": Organisation.objects.get_ancestors(organisation),
            "children": children,
            "members": members,
            "history": history_for(organisation)[:10],
        },
    )
