"""Retention: what is kept only for a while goes, every day, and each run records counts only."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory
from coproduce.contributions.models import Contribution
from coproduce.insight.models import SurveySubmission
from coproduce.insight.tests.factories import NeedsSurveyFactory, SubmissionFactory
from coproduce.organisations.tests.factories import MembershipFactory
from coproduce.privacy.models import RetentionRun
from coproduce.privacy.retention import retention_enforce

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=4 * 365)


def test_long_unused_residents_accounts_are_erased_and_counted() -> None:
    unused = UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO)
    never_signed_in = UserFactory(last_login=None, date_joined=LONG_AGO)
    recent = UserFactory(last_login=timezone.now(), date_joined=LONG_AGO)
    new = UserFactory(last_login=None)
    staff = UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO)
    MembershipFactory(user=staff)
    admin = UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO, is_superuser=True)
    operator = UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO, is_staff=True)
    run = retention_enforce()
    erased = set(User.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {unused.pk, never_signed_in.pk}
    assert {recent.pk, new.pk, staff.pk, admin.pk, operator.pk}.isdisjoint(erased)
    assert run.counts["inactive_accounts"] == 2
    assert RetentionRun.objects.get() == run
    assert retention_enforce().counts["inactive_accounts"] == 0  # erased once


@override_settings(COPRODUCE_INACTIVE_ACCOUNT_DAYS=0)
def test_no_account_is_erased_when_the_setting_is_zero() -> None:
    UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO)
    assert retention_enforce().counts["inactive_accounts"] == 0


@override_settings(COPRODUCE_UNCONFIRMED_ANSWER_DAYS=3)
def test_unconfirmed_answers_go_after_the_days_the_setting_says() -> None:
    activity = NeedsSurveyFactory(anonymous_answers=True)
    old = SubmissionFactory(activity=activity, author=None, email="old@example.org")
    young = SubmissionFactory(activity=activity, author=None, email="young@example.org")
    Contribution.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(4))
    Contribution.objects.filter(pk=young.pk).update(created_at=timezone.now() - dt.timedelta(2))
    run = retention_enforce()
    assert run.counts["unconfirmed_survey_answers"] == 1
    assert list(SurveySubmission.objects.values_list("pk", flat=True)) == [young.pk]


def test_the_command_says_how_many_of_each() -> None:
    UserFactory(last_login=LONG_AGO, date_joined=LONG_AGO)
    out = io.StringIO()
    call_command("retention_enforce", stdout=out)
    assert "inactive_accounts: 1 deleted" in out.getvalue()
    assert "panel_registration_data: 0 deleted" in out.getvalue()
    assert set(RetentionRun.objects.get().counts) == {
        "unconfirmed_survey_answers",
        "panel_registration_data",
        "inactive_accounts",
    }
