from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    """The public ledger: the apps above record their decisions in it and register how to rebuild
    each recorded row (docs/ledger.md, docs/decisions/0027-public-ledger.md)."""

    name = "coproduce.transparency"
    label = "transparency"
    verbose_name = "Public ledger"

    def ready(self) -> None:
        """Publish the ledger and the services as open data (/data/)."""
        from coproduce.transparency import exports

        exports.register()
