"""Walks through idea challenges, surveys, stories and following (codesign, insight and
notifications), for axe and the page coverage test.

Imported at the end of ``pages.py``, so the walks join its PUBLIC and STAFF registries. The walks
share an idea challenge and a needs survey of the recovery service that the council's
administrator runs (``idea_challenge()``, ``needs_survey()``): the first walk to need one makes
it with the factories, and the others find it by its title.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from coproduce.contributions.models import Decision, Response
from coproduce.services.models import Activity, ActivityState, Service
from tests.browser.audit import Auditor, fill_date
from tests.browser.pages import COUNCIL_ADMIN, RECOVERY, RESIDENT, public, staff

IDEA_CHALLENGE = "Ideas for the Saturday family drop-in"
SURVEY = "Getting to the recovery hub"


def idea_challenge() -> tuple[Activity, Any]:
    """An open idea challenge of the recovery service, with two ideas and a comment."""
    from coproduce.accounts.models import User
    from coproduce.codesign.models import Idea
    from coproduce.codesign.tests.factories import (
        CommentFactory,
        IdeaCategoryFactory,
        IdeaChallengeFactory,
        IdeaFactory,
    )

    challenge = Activity.objects.filter(title=IDEA_CHALLENGE).first()
    if challenge is None:
        challenge = IdeaChallengeFactory(
            service=Service.objects.get(slug=RECOVERY),
            title=IDEA_CHALLENGE,
            summary="How should the new Saturday drop-in for families work?",
        )
        IdeaCategoryFactory(activity=challenge, name="Children and young people")
        neighbour = User.objects.get(email="priya.s@example.org")
        idea = IdeaFactory(
            activity=challenge,
            author=neighbour,
            title="A crèche run by volunteers",
            description="Parents could talk to the team while volunteers look after the children.",
        )
        IdeaFactory(activity=challenge, author=User.objects.get(email="dave.m@example.org"))
        CommentFactory(idea=idea, author=User.objects.get(email="dave.m@example.org"))
    return challenge, Idea.objects.filter(contribution__activity=challenge).order_by("pk").first()


@public(
    user=RESIDENT,
    covers={
        "codesign:idea_list",
        "codesign:idea_detail",
        "codesign:idea_create",
        "codesign:comment_create",
        "codesign:support",
        "codesign:agree",
        "contributions:report",
    },
)
def idea_challenge_as_resident(a: Auditor) -> None:
    challenge, idea = idea_challenge()
    a.goto(a.url("codesign:idea_list", challenge.pk), heading="Ideas")
    a.goto(a.url("codesign:idea_list", challenge.pk, query="sort=newest"))
    a.goto(a.url("codesign:idea_create", challenge.pk))
    a.submit(a.button("Post your idea"))
    a.errors_shown()
    a.goto(idea.get_absolute_url(), heading=idea.title)
    # Supporting is enhanced with htmx: the button changes in place.
    support = a.page.get_by_role("button", name=re.compile("^Support this idea"))
    a.click(support, then=a.page.get_by_role("button", name=re.compile("^Withdraw my support")))
    # So is agreeing with a comment (decision 0026); withdrawn again, for the next walk.
    agree = a.page.get_by_role("button", name=re.compile("^Agree with the comment by"))
    withdraw = a.page.get_by_role("button", name=re.compile("^Withdraw my agreement"))
    a.click(agree, then=withdraw)
    a.click(withdraw, then=agree)
    a.submit(a.button("Post comment"))
    a.errors_shown()
    a.goto(a.url("contributions:report", idea.contribution_id))
    a.submit(a.button("Send the report"))
    a.errors_shown()


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "codesign:category_list",
        "codesign:category_edit",
        "codesign:threshold",
        "codesign:take_forward",
        "contributions:set_status",
        "contributions:respond",
        "contributions:moderation",
        "contributions:moderate",
        "contributions:decision_create",
        "contributions:decision_detail",
        "contributions:decision_link",
        "contributions:you_said_we_did",
    },
)
def idea_challenge_as_staff(a: Auditor) -> None:
    challenge, idea = idea_challenge()
    a.goto(a.url("codesign:idea_list", challenge.pk))
    a.goto(a.url("codesign:category_list", challenge.pk))
    a.submit(a.button("Add category"))
    a.errors_shown()
    category = challenge.idea_categories.first()
    assert category is not None
    a.goto(a.url("codesign:category_edit", category.pk))
    a.goto(a.url("codesign:threshold", challenge.pk), heading="Supports threshold")
    a.field("Number of supports (optional)").fill("none")
    a.field("Working days to answer (optional)").fill("500")
    a.submit(a.button("Save the threshold"))
    a.errors_shown()
    # The recovery service's evening-support opinion map has four statements all groups agreed
    # with on its map (decision 0111): one becomes an idea of the challenge.
    take_forward = a.url("codesign:take_forward", challenge.pk)
    a.goto(take_forward, heading="Take forward an agreed statement")
    a.submit(a.button("Take it forward as an idea"))
    a.errors_shown()
    a.page.get_by_role("radio").first.check()
    a.submit(a.button("Take it forward as an idea"))
    assert "/ideas/" in a.page.url, a.page.url
    a.goto(take_forward, heading="Take forward an agreed statement")
    a.goto(a.url("contributions:set_status", idea.pk))
    a.submit(a.button("Change status"))
    a.errors_shown()
    a.goto(a.url("contributions:respond", idea.contribution_id))
    a.submit(a.button("Publish the answer"))
    a.errors_shown()
    a.goto(
        a.url(
            "contributions:decision_create", RECOVERY, query=f"contribution={idea.contribution_id}"
        )
    )
    a.submit(a.button("Record decision"))
    a.errors_shown()
    a.field("What was decided").fill("A volunteer crèche on Saturday mornings")
    a.field("Details and reasons").fill("Parents asked for it, and volunteers have come forward.")
    a.field("Decided by").fill("Recovery service board")
    fill_date(a.page, "Date of the decision", dt.date.today())
    a.submit(a.button("Record decision"))
    decision = Decision.objects.get(title="A volunteer crèche on Saturday mornings")
    assert a.page.url == a.site.url + decision.get_absolute_url(), a.page.url
    a.goto(a.url("contributions:decision_link", decision.pk))
    a.goto(a.url("contributions:you_said_we_did", RECOVERY))
    # Report the idea, then a moderator keeps it.
    a.goto(a.url("contributions:report", idea.contribution_id))
    a.field("Why should a moderator look at this?").fill("It names a member of staff.")
    a.submit(a.button("Send the report"))
    a.goto(a.url("contributions:moderation", RECOVERY, query="show=reports"))
    a.submit(a.page.get_by_role("button", name=re.compile("^Keep it")).first)


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "services:staff_dashboard",
        "services:staff_service",
        "contributions:inbox",
        "contributions:service_inbox",
        "contributions:respond",
        "contributions:decision_create",
    },
)
def the_staff_inbox(a: Auditor) -> None:
    """The inbox across services and one service's: filters (with nonsense values too), an
    empty answer in place (htmx), ticking nothing, and the decision form it leads to."""
    from coproduce.codesign.tests.factories import IdeaFactory

    challenge, _idea = idea_challenge()
    IdeaFactory(activity=challenge, title="Evening sessions at the hub, once a month")
    a.goto(a.url("services:staff_dashboard"))
    a.goto(a.url("contributions:inbox"), heading="Waiting for an answer")
    a.goto(a.url("contributions:inbox", query="activity=nonsense&kind=ballot&age=5"))
    a.goto(a.url("services:staff_service", RECOVERY))
    a.submit(a.page.get_by_role("button", name=re.compile(r"^Open the inbox")))
    a.goto(a.url("contributions:service_inbox", RECOVERY, query="age=30&kind=story"))
    a.goto(a.url("contributions:service_inbox", RECOVERY, query="kind=idea"))
    item = a.page.locator(".app-card-list__item").first
    a.click(
        item.get_by_role("button", name=re.compile("^Publish the answer")),
        then=item.locator(".govuk-error-message"),
    )
    a.submit(a.button("Record a decision about the ones ticked"))
    a.errors_shown()
    a.page.locator(".app-card-list__item input[type=checkbox]").first.check()
    a.submit(a.button("Record a decision about the ones ticked"), heading="Record a decision")
    a.submit(a.button("Search"))


def needs_survey() -> Activity:
    """An open needs survey of the recovery service that takes answers without an account."""
    from coproduce.insight.tests.factories import NeedsSurveyFactory

    survey = Activity.objects.filter(title=SURVEY).first()
    if survey is None:
        survey = NeedsSurveyFactory(
            service=Service.objects.get(slug=RECOVERY),
            title=SURVEY,
            summary="How do you get to Station Road, and what would make it easier?",
            anonymous_answers=True,
        )
    return survey


@public(
    user=None,
    covers={"insight:survey_answer", "insight:survey_confirm", "insight:survey_results"},
)
def answer_a_survey_without_an_account(a: Auditor) -> None:
    from django.core import mail

    survey = needs_survey()
    a.goto(a.url("insight:survey_answer", survey.pk))
    a.submit(a.button("Send my answers"))
    a.errors_shown()
    mail.outbox.clear()
    for group in a.page.locator(
        "fieldset:has(input[type=radio]), fieldset:has(input[type=checkbox])"
    ).all():
        if not group.locator("input[name^=about-]").count():  # the survey's own questions
            group.locator("input").first.check()
    a.page.get_by_label("Your email address").fill("visitor@example.org")
    # The equality questions at the end (decision 0110): an answer without the box is refused,
    # with everything typed kept; with the box ticked, it is kept with the survey answer.
    a.page.get_by_text("About you: equality questions (optional)").click()
    a.field("16 to 24").check()
    a.submit(a.button("Send my answers"))
    a.errors_shown()
    assert not mail.outbox, "an answer was kept without consent"
    a.page.get_by_label("I agree that coproduce keeps these answers with my survey answers").check()
    a.submit(a.button("Send my answers"))
    assert mail.outbox, "no confirmation email was sent"
    (path,) = re.findall(r"/insight/surveys/confirm/\?token=\S+", str(mail.outbox[-1].body))
    a.goto(path)
    a.submit(a.button("Confirm my answers"))
    a.goto(a.url("insight:survey_confirm", query="token=used-or-mistyped"), status=404)


@public(
    user=RESIDENT,
    covers={
        "insight:story_create",
        "insight:asset_create",
        "contributions:follow",
        "contributions:follows",
        "contributions:my_contributions",
    },
)
def tell_a_story_record_an_asset_and_follow(a: Auditor) -> None:
    from coproduce.insight.tests.factories import StoryCollectionFactory

    stories = Activity.objects.filter(kind="story_collection", state=ActivityState.OPEN).first()
    if stories is None:
        stories = StoryCollectionFactory(service=Service.objects.get(slug=RECOVERY))
    a.goto(a.url("insight:story_create", stories.pk))
    a.submit(a.button("Send my story"))
    a.errors_shown()
    a.goto(a.url("insight:asset_create", needs_survey().pk))
    a.submit(a.button("Add the asset"))
    a.errors_shown()
    a.goto(a.url("services:detail", RECOVERY))
    follow = a.page.get_by_role("button", name=re.compile("^Follow"))
    a.click(follow, then=a.page.get_by_role("button", name=re.compile("^Stop following")))
    a.goto(a.url("contributions:follows"))
    a.goto(a.url("contributions:my_contributions"))


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "insight:survey_manage",
        "insight:survey_settings",
        "insight:question_create",
        "insight:question_edit",
        "insight:question_move",
        "insight:question_delete",
    },
)
def compose_a_survey(a: Auditor) -> None:
    from coproduce.insight.tests.factories import NeedsSurveyFactory

    draft = NeedsSurveyFactory(
        service=Service.objects.get(slug=RECOVERY),
        title="Family support survey",
        state=ActivityState.DRAFT,
    )
    a.goto(a.url("insight:survey_manage", draft.pk))
    a.goto(a.url("insight:survey_settings", draft.pk))
    a.goto(a.url("insight:question_create", draft.pk))
    a.submit(a.button("Add question"))
    a.errors_shown()
    a.goto(a.url("insight:survey_manage", draft.pk))
    a.submit(a.page.get_by_role("button", name=re.compile("^Move down")).first)
    question = draft.survey.questions.order_by("position").first()
    assert question is not None
    a.goto(a.url("insight:question_edit", question.pk))
    a.goto(a.url("insight:question_delete", question.pk))


@staff(
    user=COUNCIL_ADMIN,
    covers={
        "services:staff_service",
        "services:staff_welsh",
        "insight:question_welsh",
        "contributions:decision_welsh",
        "contributions:response_welsh",
    },
)
def what_has_no_welsh_yet(a: Auditor) -> None:
    """The list of what has no Welsh (decision 0025), and the forms it links to, sent wrongly."""
    a.goto(a.url("services:staff_service", RECOVERY))
    a.submit(
        a.page.get_by_role("link", name="See what has no Welsh"), heading="What has no Welsh yet"
    )
    # The link's hidden words name what it is for: "Add the Welsh: <question>".
    question = re.compile(r"^Add the Welsh\W+When do you most need support\?$")
    # Other scenarios add activities to this service, which come first: the question may be on
    # a later page of the list.
    while not a.page.get_by_role("link", name=question).count():
        a.submit(
            a.page.get_by_role("link", name=re.compile("^Next")), heading="What has no Welsh yet"
        )
    a.submit(a.page.get_by_role("link", name=question), heading="Write the Welsh")
    a.field("Options in Welsh").fill("Yn y bore")  # one Welsh option for several English ones
    a.submit(a.button("Save the Welsh"))
    a.errors_shown()
    decision = Decision.objects.filter(service__slug=RECOVERY).first()
    assert decision is not None
    a.goto(a.url("contributions:decision_welsh", decision.pk), heading="Write the Welsh")
    title = a.field("What was decided, in Welsh")
    title.evaluate("input => input.removeAttribute('maxlength')")  # the server's check, then
    title.fill("x" * 201)
    a.submit(a.button("Save the Welsh"))
    a.errors_shown()
    # An answer with no Welsh (the list holds more than a page of them since the board's meetings).
    answer = (
        Response.objects.filter(
            contribution__activity__service_stage__service__slug=RECOVERY, body_cy=""
        )
        .order_by("pk")
        .first()
    )
    assert answer is not None
    a.goto(a.url("contributions:response_welsh", answer.pk), heading="Write the Welsh")
    a.field("The answer in Welsh").fill("Diolch am ddweud wrthym.")
    a.submit(a.button("Save the Welsh"))


@public(
    user=None,
    covers={
        "insight:survey_results",
        "insight:survey_answers",
        "insight:submission_detail",
        "insight:asset_list",
        "insight:asset_detail",
        "insight:story_list",
        "insight:story_detail",
    },
)
def read_what_people_said(a: Auditor) -> None:
    from coproduce.accounts.models import User
    from coproduce.insight.tests.factories import (
        AssetFactory,
        StoryCollectionFactory,
        StoryFactory,
        SubmissionFactory,
        approve,
    )

    survey = needs_survey()
    priya = User.objects.get(email="priya.s@example.org")
    submission = SubmissionFactory(
        activity=survey, author=priya, text="A minibus from the villages on Saturdays."
    )
    approve(submission.contribution)
    asset = AssetFactory(activity=survey, author=priya, name="Westbrook Community Café")
    approve(asset.contribution)
    collection = StoryCollectionFactory(
        service=Service.objects.get(slug=RECOVERY), title="Your first week at the hub"
    )
    story = StoryFactory(activity=collection, author=priya, title="Someone listened")
    approve(story.contribution)
    a.goto(a.url("insight:survey_results", survey.pk))
    a.goto(a.url("insight:survey_answers", survey.pk))
    a.goto(a.url("insight:submission_detail", submission.pk))
    a.goto(a.url("insight:asset_list", RECOVERY))
    a.goto(a.url("insight:asset_detail", asset.pk), heading=asset.name)
    a.goto(a.url("insight:story_list", collection.pk))
    a.goto(a.url("insight:story_detail", story.pk), heading=story.title)
