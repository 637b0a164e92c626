"""Assessment and improvement (issue 12): a service's standards written with the people who use
it, kept in numbered versions, and the assessments that rate the service against one version.

The framework is the service's; each agreed version is frozen (an assessment pins the version it
used, so results stay comparable and explainable). A standard keeps its ``lineage`` number from
version to version, so the change on "the same standard" can be shown from one assessment to the next.
The methods share it: a user assessment (people who use the service rate it, online or on paper),
a peer review (a team of trained peers rate it independently, then agree a report) and a team's
self-reflection (private until the team publishes it). An assessment's report lists findings
(strengths, concerns, urgent concerns: contributions answered through the spine), and the service
answers concerns with improvement actions that have an owner, a due date and evidence when done.

One module per idea, named as its ``actions_*`` and ``queries_*`` modules are: ``framework``,
``assessments`` (any method's, and a user assessment's responses), ``peer``, ``report``,
``findings``, ``links``, ``shopping``, ``coaching``, ``proposals``. Import from this package: it
re-exports every name (the migrations use ``models.private_storage``).
"""

from coproduce.assessment.models.assessments import (
    METHODS,
    TEAM_METHODS,
    Assessment,
    Rating,
    Response,
)
from coproduce.assessment.models.coaching import CoachingSession
from coproduce.assessment.models.findings import (
    FINDING,
    ActionStatus,
    Finding,
    FindingKind,
    ImprovementAction,
)
from coproduce.assessment.models.framework import (
    SCALE,
    SCALE_MAX,
    Framework,
    FrameworkVersion,
    Standard,
    VersionStatus,
)
from coproduce.assessment.models.links import IndicatorLink
from coproduce.assessment.models.peer import Assessor, AssessorRating
from coproduce.assessment.models.proposals import STANDARD_PROPOSAL, StandardProposal
from coproduce.assessment.models.report import AgreedRating
from coproduce.assessment.models.shopping import (
    Assignment,
    Channel,
    Evidence,
    ShopRating,
    ShopReport,
    private_storage,
)

__all__ = [
    "FINDING",
    "METHODS",
    "SCALE",
    "SCALE_MAX",
    "STANDARD_PROPOSAL",
    "TEAM_METHODS",
    "ActionStatus",
    "AgreedRating",
    "Assessment",
    "Assessor",
    "AssessorRating",
    "Assignment",
    "Channel",
    "CoachingSession",
    "Evidence",
    "Finding",
    "FindingKind",
    "Framework",
    "FrameworkVersion",
    "ImprovementAction",
    "IndicatorLink",
    "Rating",
    "Response",
    "ShopRating",
    "ShopReport",
    "Standard",
    "StandardProposal",
    "VersionStatus",
    "private_storage",
]
