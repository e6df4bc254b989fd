"""Downloads of issued documents (scoped, audited, hash-checked) and the public check page."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.downloads import stored_file_response
from common.statemachine import TransitionNotAllowed

from . import selectors, services
from .forms import RevokeForm
from .ratelimit import verification_limited

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"pdf": "application/pdf", "docx": services.DOCX_TYPE}


@require_http_methods(["GET", "POST"])
@login_required
def document_detail(request, pk):
    """One document: its facts, downloads, what replaced it, and 撤销 for those who may."""
    document = selectors.document_get_for_user(request.user, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_revoke(
                document=document, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
        else:
            messages.success(request, _("文书已撤销。"))
            return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "form": form,
            "may_revoke": services.lifecycle.refusal(document, "revoke", request.user) is None,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def document_download(request, pk, file_format):
    """The document exactly as issued, for whoever may read its record (404 otherwise)."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    document = selectors.document_get_for_user(request.user, pk)
    try:
        selectors.document_file_bytes(document, file_format)
    except selectors.StoredFileAltered:
        logger.error("issued document %s: stored %s does not match its hash", pk, file_format)
        return render(request, "documents/altered.html", {"document": document}, status=409)
    services.document_read(document=document, actor=request.user, file_format=file_format)
    field = document.pdf_file if file_format == "pdf" else document.docx_file
    return stored_file_response(
        field.name,
        filename=f"{document.title}{document.number}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        storage=field.storage,
    )


@require_GET
@never_cache
def verify(request, code):
    """Public (no login): type, number, date, issuer, masked parties, revoked/replaced."""
    if verification_limited(request):
        response = render(request, "documents/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    facts = selectors.document_verify(code)
    return render(
        request,
        "documents/verify.html",
        {"facts": facts},
        status=200 if facts else 404,
    )
