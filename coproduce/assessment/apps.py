from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Assessment and improvement: standards written with users, and assessments against them
    (issue 12; docs/assessment.md)."""

    name = "coproduce.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        """Tell the services app about the user assessment method, the standards on the service's
        public and staff pages, and the draft standards that have no Welsh yet."""
        from django.utils.translation import gettext_lazy as _

        from coproduce.assessment import queries_framework
        from coproduce.services import pages
        from coproduce.services.methods import register_method
        from coproduce.services.models import ActivityKind

        register_method(
            ActivityKind.ASSESSMENT,
            take_part_template="assessment/_take_part.html",
            staff_links=[(_("Run the assessment"), "assessment:manage")],
        )
        pages.SERVICE_MAIN.register(
            "assessment/framework/_service_summary.html", queries_framework.service_summary
        )
        pages.STAFF_SERVICE_MAIN.register(
            "assessment/framework/_staff_service.html", queries_framework.staff_summary
        )
        pages.register_missing_welsh(
            27, queries_framework.standards_without_welsh, queries_framework.untranslated_standard
        )
