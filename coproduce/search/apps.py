from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site search: one index of everything public, which the apps above fill
    (docs/decisions/0023-search.md)."""

    name = "coproduce.search"
    label = "search"
    verbose_name = "Search"
