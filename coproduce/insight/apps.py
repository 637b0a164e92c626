from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "coproduce.insight"
    label = "insight"
    verbose_name = "Insight"

    def ready(self) -> None:
        """Tell the service pages how to take part in surveys and story collections, and the
        answer spine about survey answers, assets and stories (docs/contributions.md)."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.contributions.kinds import Kind, register_kind
        from coproduce.insight.models import InsightKind
        from coproduce.insight.queries import answers_text, asset_text
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind

        register_method(
            ActivityKind.NEEDS_SURVEY,
            take_part_template="insight/_take_part.html",
            staff_links=[(_("Survey questions"), "insight:survey_manage")],
        )
        register_method(ActivityKind.STORY_COLLECTION, take_part_template="insight/_take_part.html")
        register_kind(
            Kind(
                code=InsightKind.NEED,
                label=InsightKind.NEED.label,
                detail="submission",
                methods={ActivityKind.NEEDS_SURVEY},
                text=answers_text,
                select_related=("submission__survey__activity",),
                prefetch=("submission__answers__question",),
                summary_template="insight/_answers_summary.html",
            )
        )
        register_kind(
            Kind(
                code=InsightKind.ASSET,
                label=InsightKind.ASSET.label,
                detail="asset",
                methods={ActivityKind.NEEDS_SURVEY},
                text=asset_text,
                search=("name", "description"),
                summary_template="insight/_asset_summary.html",
            )
        )
        register_kind(
            Kind(
                code=InsightKind.STORY,
                label=InsightKind.STORY.label,
                detail="story",
                methods={ActivityKind.STORY_COLLECTION},
                text=lambda contribution: contribution.story.body,
                search=("title", "body"),
                summary_template="insight/_story_summary.html",
            )
        )
