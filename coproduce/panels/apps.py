from django.apps import AppConfig


class PanelsConfig(AppConfig):
    """Citizen panels: pools, quotas and fair selection over civic_algorithms.sortition (issue 13)."""

    name = "coproduce.panels"
    label = "panels"
    verbose_name = "Citizen panels"

    def ready(self) -> None:
        """Tell the ledger about seed commitments and selection results."""
        from coproduce.panels import ledger

        ledger.register()
