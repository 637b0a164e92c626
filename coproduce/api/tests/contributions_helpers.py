"""A helper shared by the contribution endpoint tests of test_contributions and
test_contribution_answers: the loop's idea in a given moderation state."""

from __future__ import annotations

from coproduce.api.tests.loop import Loop
from coproduce.codesign.models import Idea


def idea_in(loop: Loop, state: str) -> Idea:
    return {"published": loop.idea, "pending": loop.pending_idea, "hidden": loop.hidden_idea}[state]
