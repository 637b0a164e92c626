"""Forms: GOV.UK Design System markup for every Django form, and one way to handle a POST."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from coproduce.common.dates import DateRange
from coproduce.common.models import SubmittedForm

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

T = TypeVar("T")


class GovukFormRenderer(TemplatesSetting):
    """Render forms and fields with the GOV.UK form-group, label, hint and error patterns."""

    form_template_name = "common/forms/form.html"
    field_template_name = "common/forms/field.html"


def widget_kind(field: forms.BoundField) -> str:
    """Name the GOV.UK pattern a bound field is drawn with."""
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, DatePartsWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def widget_attrs(field: forms.BoundField) -> dict[str, Any]:
    """The class and aria attributes a text-like widget needs, including the error state."""
    kind = widget_kind(field)
    base = {"select": "govuk-select", "textarea": "govuk-textarea", "file": "govuk-file-upload"}
    classes = [base.get(kind, "govuk-input")]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        classes.append(f"{classes[0]}--error")
        described_by.append(f"{field.auto_id}-error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


ONE_TIME_FIELD = "one_time_token"
# How long a form page can be sent, and how long a used token is kept (decision 0021).
ONE_TIME_DAYS = 30
# How long the same words from the same person to the same address count as sent again.
SAME_CONTENT_MINUTES = 60


def _token_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt="coproduce.common.forms.OneTimeForm")


def new_form_token() -> str:
    """A fresh one-time token: 24 random characters, signed with the time it was made."""
    return _token_signer().sign(secrets.token_urlsafe(18))


class OneTimeForm(forms.Form):
    """A form that makes something: each copy of its page makes it once, however often it is sent.

    A hidden field carries a fresh signed token; ``handle_form`` records it with the result, and
    the same token sent again goes to that result instead of running the action again. A post
    without a token is a normal post; a token that is not ours, or older than ONE_TIME_DAYS, is
    refused and the form comes back with a fresh one (docs/decisions/0021-one-time-form-tokens.md).
    """

    one_time_token = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=new_form_token
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token: str | None = None  # the random part of the posted token, when it is ours
        self.token_refused = False
        if self.is_bound:
            self._read_token()

    def _read_token(self) -> None:
        name = self.add_prefix(ONE_TIME_FIELD)
        posted = self.data.get(name)
        if posted:
            try:
                self.token = _token_signer().unsign(str(posted))
                _token_signer().unsign(str(posted), max_age=dt.timedelta(days=ONE_TIME_DAYS))
                return
            except signing.BadSignature:  # SignatureExpired too: self.token may still be used
                self.token_refused = True
        # The page shown again (with errors) carries a token that can still be used.
        data = cast(Any, self.data).copy()  # a QueryDict or a dict
        data[name] = new_form_token()
        self.data = data

    def full_clean(self) -> None:
        super().full_clean()
        if self.token_refused:
            self.add_error(
                None,
                gettext_lazy(
                    "This page is out of date. Check what you have written, then send it again."
                ),
            )


class FixableForm(forms.Form):
    """A form some of whose fields may be fixed by what has happened since they were set (votes
    cast, bids in, a stage ended): ``fix`` shows them disabled, with why as their hint, and the
    saved value is kept.

    A browser does not send a disabled field, so the saved value stands. A page loaded before
    they were fixed still sends them: a change is then refused on the field with that reason,
    never dropped in silence (docs/decisions/0134-fixed-fields-refuse-a-change.md).
    """

    def fix(self, names: Iterable[str], reason: str | StrPromise) -> None:
        for name in names:
            field = self.fields[name]
            field.disabled = True
            field.help_text = reason
            self._fixed = {**getattr(self, "_fixed", {}), name: reason}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, reason in getattr(self, "_fixed", {}).items():
            bound = self[name]
            field = bound.field
            if _not_sent(self, bound):
                continue  # as from the page that showed it disabled
            sent = _lf(field.widget.value_from_datadict(self.data, self.files, bound.html_name))
            field.disabled = False  # a disabled field never "has changed"
            try:
                changed = field.has_changed(_lf(bound.initial), sent)
            finally:
                field.disabled = True
            if changed:
                self.add_error(name, reason)
        return data


def _lf(value: Any) -> Any:
    """Text with its lines ending as the saved text's do: browsers send a text area's with CRLF."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _not_sent(form: forms.Form, bound: forms.BoundField) -> bool:
    """Whether the post left the field out. A box left unticked is left out too, so a fixed
    box sent unticked from an old page cannot be told from one sent disabled: it is kept."""
    widget = bound.field.widget
    if isinstance(widget, forms.MultiWidget):
        return bool(widget.value_omitted_from_data(form.data, form.files, bound.html_name))
    return bound.html_name not in form.data and bound.html_name not in form.files


class _AlreadySent(Exception):
    """Another request has used this form's token."""


def _sent_url(token: str) -> str | None:
    """Where the result of the form sent with this token is, if it was sent."""
    return SubmittedForm.objects.filter(token=token).values_list("url", flat=True).first()


def _content_key(request: HttpRequest, form: OneTimeForm) -> str:
    """Who sent what to which address: a keyed hash of the person, the path and the fields.

    The person is the account, or else the browser's CSRF secret ("" when there is neither). The
    CSRF token and the one-time token are left out: a form page loaded again has new ones, and
    the same words.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    elif secret := request.META.get("CSRF_COOKIE"):
        who = f"browser:{secret}"
    else:
        return ""
    left_out = {"csrfmiddlewaretoken", form.add_prefix(ONE_TIME_FIELD)}
    fields = sorted(
        (name, value)
        for name in request.POST
        if name not in left_out
        for value in request.POST.getlist(name)
    )
    payload = json.dumps([who, request.path, fields])
    return salted_hmac("coproduce.common.forms.content", payload, algorithm="sha256").hexdigest()


def _same_content_url(content: str) -> str | None:
    """Where the result of the same words sent by the same person lately is, if they were."""
    if not content:
        return None
    since = timezone.now() - dt.timedelta(minutes=SAME_CONTENT_MINUTES)
    sent = SubmittedForm.objects.filter(content=content, created_at__gte=since)
    return sent.order_by("-created_at").values_list("url", flat=True).first()


def _claim(token: str, content: str) -> SubmittedForm:
    """Record the token as used; a request that used it first makes this one wait, then fail."""
    try:
        with transaction.atomic():  # a savepoint: the conflict leaves the outer transaction usable
            return SubmittedForm.objects.create(token=token, content=content)
    except IntegrityError:
        raise _AlreadySent from None


def _already_received(request: HttpRequest, url: str | None) -> HttpResponse:
    messages.info(
        request, gettext("We already have this. You sent it before, so nothing new was added.")
    )
    return redirect(url or request.get_full_path())


def handle_form(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], T],
    *,
    success: Callable[[T], str] | str,
    message: Callable[[T], str] | str = "",
) -> HttpResponse | None:
    """The POST half of every form page: validate, run the action, show its errors on the form.

    ``action`` gets the form's cleaned data and makes the one write; a ValidationError it raises
    is shown on the form's fields (or above the form). On success the ``message`` (text, or made
    from the action's result) is flashed and the response redirects to ``success`` (a URL, a URL
    name, or made from the result). Returns None when the page should show the form (again)::

        form = IdeaForm(request.POST or None)
        done = handle_form(request, form, lambda data: actions.idea_create(**data),
                           success=lambda idea: idea.get_absolute_url(), message=_("Posted."))
        return done or render(request, "codesign/idea_form.html", {"form": form})

    A OneTimeForm's token is claimed in the action's transaction and stored with the result's URL:
    sent again, the form runs nothing and goes to that URL with a message. So does a new copy of
    the form (a browser that loads the page again on Back) sent by the same person with the same
    words within SAME_CONTENT_MINUTES. A ValidationError rolls the claim back, so the corrected
    form can use the token.
    """
    if request.method != "POST":
        return None
    token, content = None, ""
    if isinstance(form, OneTimeForm) and form.token is not None:
        token, content = form.token, _content_key(request, form)
    if token is not None and (sent := _sent_url(token) or _same_content_url(content)):
        return _already_received(request, sent)
    if not form.is_valid():
        return None
    data = {name: value for name, value in form.cleaned_data.items() if name != ONE_TIME_FIELD}
    try:
        with transaction.atomic() if token is not None else nullcontext():
            claim = _claim(token, content) if token is not None else None
            result = action(data)
            url = resolve_url(success(result) if callable(success) else success)
            if claim is not None:
                claim.url = url
                claim.save(update_fields=["url"])
    except _AlreadySent:
        return _already_received(request, _sent_url(token or ""))
    except ValidationError as error:
        add_action_errors(form, error)
        return None
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)
    return redirect(url)


class KeyChoiceField(forms.ModelChoiceField):
    """A choice of row by primary key that turns away values no key can have before querying.

    Databases refuse integers beyond 64 bits with an error, not an empty result.
    """

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not (str(value).isdigit() and len(str(value)) < 19):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


# --- Dates: the GOV.UK date input pattern (decision 0019) ---------------------------------------

DATE_PARTS = ("day", "month", "year")
# Month names people may type instead of a number: English (in full or shortened) and Welsh.
_MONTHS = [
    ("jan", "january", "ionawr"),
    ("feb", "february", "chwefror"),
    ("mar", "march", "mawrth"),
    ("apr", "april", "ebrill"),
    ("may", "mai"),
    ("jun", "june", "mehefin"),
    ("jul", "july", "gorffennaf"),
    ("aug", "august", "awst"),
    ("sep", "sept", "september", "medi"),
    ("oct", "october", "hydref"),
    ("nov", "november", "tachwedd"),
    ("dec", "december", "rhagfyr"),
]
MONTH_NAMES = {name: str(number) for number, names in enumerate(_MONTHS, 1) for name in names}
_INCOMPLETE = {
    ("day",): gettext_lazy("%(name)s must include a day."),
    ("month",): gettext_lazy("%(name)s must include a month."),
    ("year",): gettext_lazy("%(name)s must include a year."),
    ("day", "month"): gettext_lazy("%(name)s must include a day and month."),
    ("day", "year"): gettext_lazy("%(name)s must include a day and year."),
    ("month", "year"): gettext_lazy("%(name)s must include a month and year."),
}
_NOT_REAL = gettext_lazy("%(name)s must be a real date.")


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year as three inputs named ``<field>_day``, ``_month`` and ``_year``.

    The GOV.UK form renderer draws them (``common/forms/field.html`` with ``date_parts``).
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class DateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK pattern's error messages.

    ``name`` is how the messages speak of it ("the date of the decision"); ``dates`` is the range
    it must fall in. The cleaned value is a ``datetime.date``, or None when optional and empty.
    Each error lists the parts to highlight in its ``params["parts"]``.
    """

    widget = DatePartsWidget

    def __init__(
        self, *, name: str | StrPromise, dates: DateRange | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.subject = name
        self.dates = dates

    def _error(
        self, message: str | StrPromise, code: str, parts: Any = DATE_PARTS, *, starts: bool = True
    ) -> ValidationError:
        """An error about the date that highlights ``parts``; ``starts``: the name begins it."""
        params = {"name": capfirst(self.subject) if starts else self.subject, "parts": tuple(parts)}
        return ValidationError(message, code=code, params=params)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date) or value is None:
            return value
        if isinstance(value, str):  # an initial value given as text, never what a browser sends
            try:
                return dt.date.fromisoformat(value) if value else None
            except ValueError:
                raise self._error(_NOT_REAL, "invalid") from None
        texts = [str(text or "").strip() for text in list(value)[:3]]
        given = dict(zip(DATE_PARTS, texts + [""] * (3 - len(texts)), strict=True))
        if not any(given.values()):
            return None
        missing = tuple(part for part in DATE_PARTS if not given[part])
        if missing:
            raise self._error(_INCOMPLETE[missing], "incomplete", missing)
        given["month"] = MONTH_NAMES.get(given["month"].lower(), given["month"])
        wrong = [
            part
            for part, text in given.items()
            if not (text.isascii() and text.isdigit() and (part == "year" or len(text) <= 4))
        ]
        if wrong:
            raise self._error(_NOT_REAL, "invalid", wrong)
        if len(given["year"]) != 4:
            message = gettext_lazy("%(name)s must include a year with 4 numbers.")
            raise self._error(message, "year", ["year"])
        day, month, year = (int(given[part]) for part in DATE_PARTS)
        if not 1 <= month <= 12:
            raise self._error(_NOT_REAL, "invalid", ["month"])
        if year < 1:
            raise self._error(_NOT_REAL, "invalid", ["year"])
        try:
            return dt.date(year, month, day)
        except ValueError:  # a day the month does not have
            raise self._error(_NOT_REAL, "invalid", ["day"]) from None

    def validate(self, value: dt.date | None) -> None:
        if value is None:
            if self.required:
                raise self._error(gettext_lazy("Enter %(name)s."), "required", starts=False)
            return
        problem = self.dates.problem(value, self.subject) if self.dates else None
        if problem:
            raise self._error(problem, "range")


def wrong_date_parts(field: forms.BoundField) -> set[str]:
    """The parts of a date field to highlight: those its errors name; all for other errors."""
    wrong: set[str] = set()
    for error in field.errors.as_data():
        params = error.params if isinstance(error.params, dict) else {}
        wrong.update(params.get("parts") or DATE_PARTS)
    return wrong


def date_parts(field: forms.BoundField) -> list[dict[str, Any]]:
    """The day, month and year inputs of a date field: name, id, label, value, width, error."""
    widget = field.field.widget
    assert isinstance(widget, DatePartsWidget)
    values = field.value()
    if not isinstance(values, list | tuple):
        values = widget.decompress(values)
    wrong = wrong_date_parts(field)
    labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
    return [
        {
            "name": f"{field.html_name}_{part}",
            "id": f"{field.auto_id}-{part}",
            "label": labels[part],
            "value": "" if value is None else str(value),
            "width": 4 if part == "year" else 2,
            "error": part in wrong,
        }
        for part, value in zip(DATE_PARTS, values, strict=False)
    ]


def error_target(field: forms.BoundField) -> str:
    """What an error summary links to for a field: its first input, or a date's first wrong part."""
    kind = widget_kind(field)
    if kind in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    if kind == "date":
        wrong = wrong_date_parts(field)
        return f"{field.auto_id}-{next((p for p in DATE_PARTS if p in wrong), DATE_PARTS[0])}"
    return str(field.auto_id)
