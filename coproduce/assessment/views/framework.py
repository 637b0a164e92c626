"""The framework's pages: its agreed standards and versions (public), the draft and agreeing it
(staff; decision 0081).

The staff pages are for the administrators and professionals of the service's organisation. The
actions check the rules again, write only a draft, and their refusals are shown on the page they
came from. A staff page about an agreed version says it cannot change and goes back to the
framework.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.types import SignedInRequest, Visitor
from coproduce.assessment import actions_framework as actions
from coproduce.assessment import forms_framework as forms
from coproduce.assessment import queries_framework as queries
from coproduce.assessment import queries_proposals, rules
from coproduce.assessment.models import FrameworkVersion, Standard, VersionStatus
from coproduce.common.forms import handle_form
from coproduce.common.languages import in_language
from coproduce.common.permissions import rule_required
from coproduce.services.models import Service
from coproduce.services.queries import visible_service

# --- Rules of the staff pages about a version or a standard ---------------------------------------


def _can_keep_version(user: Visitor, version: FrameworkVersion) -> bool:
    """Keep the framework the version belongs to (whether the version is still a draft is the
    page's to say)."""
    return rules.can_keep_framework(user, version.framework.service)


def _can_keep_standard(user: Visitor, standard: Standard) -> bool:
    return _can_keep_version(user, standard.version)


def _manage_url(service: Service) -> str:
    return reverse("assessment:manage_framework", args=[service.slug])


def _edit_url(version: FrameworkVersion) -> str:
    return reverse("assessment:version_edit", args=[version.pk])


def _frozen(request: HttpRequest, version: FrameworkVersion) -> HttpResponse | None:
    """Back to the framework, saying why, when the version is agreed (it never changes)."""
    if version.status == VersionStatus.DRAFT:
        return None
    messages.info(
        request,
        _(
            "Version %(number)d is agreed, so it cannot change. Start a new version to change "
            "the standards."
        )
        % {"number": version.number},
    )
    return redirect(_manage_url(version.framework.service))


def _themes(version: FrameworkVersion) -> list[str]:
    """The themes the version has so far, in page order (offered when adding a standard)."""
    seen: dict[str, None] = {}
    for standard in queries.display_order(version.standards.all()):
        seen.setdefault(standard.theme, None)
    return list(seen)


def _version_page(version: FrameworkVersion, **extra: Any) -> dict[str, Any]:
    return {"version": version, "service": version.framework.service, **extra}


# --- Public pages ---------------------------------------------------------------------------------


@rule_required(rules.can_view_framework, load=visible_service)
@require_GET
def framework(request: HttpRequest, service: Service) -> HttpResponse:
    """The latest agreed standards by theme, who wrote them, what changed, and earlier versions."""
    latest = queries.latest_agreed(service)
    context: dict[str, Any] = {
        "service": service,
        "version": latest,
        "can_keep": rules.can_keep_framework(request.user, service),
        "scale": queries.scale_labels(),
        "open_assessment": queries_proposals.open_assessment(service),
    }
    if latest is not None:
        context.update(
            standards=queries.standards_of(latest),
            co_authors=queries.co_author_names(latest),
            earlier=list(queries.agreed_versions(service).filter(number__lt=latest.number)),
        )
    return render(request, "assessment/framework/framework.html", context)


@rule_required(rules.can_view_version, load=queries.visible_version, hide=True)
@require_GET
def version(request: HttpRequest, version: FrameworkVersion) -> HttpResponse:
    """One version's standards, with what changed since the one before. A draft only for those
    who keep the framework (404 for everyone else)."""
    service = version.framework.service
    return render(
        request,
        "assessment/framework/version.html",
        _version_page(
            version,
            standards=queries.standards_of(version),
            co_authors=queries.co_author_names(version),
            latest=queries.agreed_versions(service).first(),
            can_keep=rules.can_keep_framework(request.user, service),
            scale=queries.scale_labels(),
        ),
    )


# --- Staff: the framework at a glance -------------------------------------------------------------


@rule_required(rules.can_keep_framework, load=visible_service, staff=True)
@require_GET
def manage_framework(request: SignedInRequest, service: Service) -> HttpResponse:
    """The framework's versions, the draft with its standards, or the invitation to start."""
    draft = queries.draft_of(service)
    return render(
        request,
        "assessment/framework/manage.html",
        {
            "service": service,
            "framework": queries.framework_of(service),
            "versions": list(queries.versions_of(service)),
            "latest": queries.agreed_versions(service).first(),
            "draft": draft,
            "standards": queries.standards_of(draft) if draft is not None else None,
        },
    )


@rule_required(rules.can_keep_framework, load=visible_service, staff=True)
@require_http_methods(["GET", "POST"])
def version_start(request: SignedInRequest, service: Service) -> HttpResponse:
    """Ask, then start the framework (its version 1) or the next version as a copy of the
    latest agreed one."""
    draft = queries.draft_of(service)
    if draft is not None:
        messages.info(
            request,
            _("Version %(number)d is a draft already: change it here.") % {"number": draft.number},
        )
        return redirect(_edit_url(draft))
    framework = queries.framework_of(service)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if framework is None:
                started = actions.framework_start(service=service, by=request.user)
            else:
                started = actions.version_start(framework=framework, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Version %(number)d started. Add and change its standards, then agree it.")
                % {"number": started.number},
            )
            return redirect(_edit_url(started))
    latest = queries.agreed_versions(service).first()
    return render(
        request,
        "assessment/framework/version_start.html",
        {
            "service": service,
            "framework": framework,
            "latest": latest,
            "errors": errors,
        },
    )


# --- Staff: the draft -----------------------------------------------------------------------------


def _move(request: SignedInRequest, version: FrameworkVersion) -> str:
    """Move the standard named by the button pressed ("up" or "down" with its key); the address
    to go back to, at the standard."""
    for direction in (actions.UP, actions.DOWN):
        key = str(request.POST.get(direction, ""))
        if key.isdigit() and len(key) < 19:
            standard = version.standards.filter(pk=int(key)).first()
            if standard is not None:
                try:
                    actions.standard_move(standard=standard, by=request.user, direction=direction)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                return f"{_edit_url(version)}#standard-{standard.pk}"
    return _edit_url(version)


@rule_required(_can_keep_version, load=queries.visible_version, staff=True)
@require_http_methods(["GET", "POST"])
def version_edit(request: SignedInRequest, version: FrameworkVersion) -> HttpResponse:
    """The draft's standards by theme, with what changed since the last agreed version; each
    can be changed, removed or moved (a POST with the "up" or "down" button)."""
    frozen = _frozen(request, version)
    if frozen is not None:
        return frozen
    if request.method == "POST":
        return redirect(_move(request, version))
    return render(
        request,
        "assessment/framework/version_edit.html",
        _version_page(version, standards=queries.standards_of(version)),
    )


@rule_required(_can_keep_version, load=queries.visible_version, staff=True)
@require_http_methods(["GET", "POST"])
def standard_add(request: SignedInRequest, version: FrameworkVersion) -> HttpResponse:
    """Add a standard to the draft."""
    frozen = _frozen(request, version)
    if frozen is not None:
        return frozen
    form = forms.NewStandardForm(request.POST or None, themes=_themes(version))
    done = handle_form(
        request,
        form,
        lambda data: actions.standard_add(version=version, by=request.user, **data),
        success=lambda standard: f"{_edit_url(version)}#standard-{standard.pk}",
        message=_("Standard added."),
    )
    return done or render(
        request,
        "assessment/framework/standard_form.html",
        _version_page(version, form=form, title=_("Add a standard")),
    )


@rule_required(_can_keep_standard, load=queries.visible_standard, staff=True)
@require_http_methods(["GET", "POST"])
def standard_edit(request: SignedInRequest, standard: Standard) -> HttpResponse:
    """Change a standard of the draft (it stays the same standard: its lineage is kept)."""
    version = standard.version
    frozen = _frozen(request, version)
    if frozen is not None:
        return frozen
    form = forms.StandardForm(request.POST or None, themes=_themes(version), standard=standard)
    done = handle_form(
        request,
        form,
        lambda data: actions.standard_update(standard=standard, by=request.user, **data),
        success=f"{_edit_url(version)}#standard-{standard.pk}",
        message=_("Standard saved."),
    )
    return done or render(
        request,
        "assessment/framework/standard_form.html",
        _version_page(
            version,
            form=form,
            standard=standard,
            title=_("Change the standard"),
            in_earlier=standard.lineage in _earlier_lineages(version),
        ),
    )


def _earlier_lineages(version: FrameworkVersion) -> set[int]:
    previous = queries.previous_agreed(version)
    if previous is None:
        return set()
    return set(previous.standards.values_list("lineage", flat=True))


@rule_required(_can_keep_standard, load=queries.visible_standard, staff=True)
@require_http_methods(["GET", "POST"])
def standard_delete(request: SignedInRequest, standard: Standard) -> HttpResponse:
    """Ask, then remove a standard from the draft (earlier versions keep it)."""
    version = standard.version
    frozen = _frozen(request, version)
    if frozen is not None:
        return frozen
    errors: list[str] = []
    if request.method == "POST":
        statement = standard.statement
        try:
            actions.standard_delete(standard=standard, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Standard “%(name)s” removed.") % {"name": statement})
            return redirect(_edit_url(version))
    return render(
        request,
        "assessment/framework/standard_delete.html",
        _version_page(
            version,
            standard=standard,
            errors=errors,
            in_earlier=standard.lineage in _earlier_lineages(version),
        ),
    )


# --- Staff: agreeing the draft --------------------------------------------------------------------


@rule_required(_can_keep_version, load=queries.visible_version, staff=True)
@require_http_methods(["GET", "POST"])
def version_agree(request: SignedInRequest, version: FrameworkVersion) -> HttpResponse:
    """What changed and who wrote it, above the standards that will be frozen; agreeing publishes
    them."""
    frozen = _frozen(request, version)
    if frozen is not None:
        return frozen
    seen = queries.snapshot(version)
    form = forms.AgreeForm(
        request.POST or None,
        number=version.number,
        initial={
            "seen": seen,
            "change_note": version.change_note,
            "change_note_cy": version.change_note_cy,
        },
    )

    def agree(data: dict[str, Any]) -> FrameworkVersion:
        if data["seen"] and data["seen"] != seen:  # sent by a page showing other standards
            fresh = cast(Any, form.data).copy()  # a QueryDict: shown again with the new snapshot
            fresh["seen"] = seen
            form.data = fresh
            raise ValidationError(
                _(
                    "The standards changed while you had this page open. Check them below, "
                    "then agree the version again."
                )
            )
        return actions.version_agree(
            version=version,
            by=request.user,
            change_note=data["change_note"],
            change_note_cy=data["change_note_cy"],
            co_authors=data["co_authors"],
        )

    done = handle_form(
        request,
        form,
        agree,
        success=lambda agreed: reverse(
            "assessment:framework", args=[agreed.framework.service.slug]
        ),
        message=lambda agreed: (
            _("Version %(number)d agreed. It is on the public page, and cannot change now.")
            % {"number": agreed.number}
        ),
    )
    return done or render(
        request,
        "assessment/framework/version_agree.html",
        _version_page(
            version,
            form=form,
            standards=queries.standards_of(version),
            caption=in_language(version.framework.service, "name"),
        ),
    )
