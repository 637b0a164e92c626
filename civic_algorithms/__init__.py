"""Framework-free methods for co-production: participatory budgeting, opinion mapping, sortition.

Plain data in, plain data out, deterministic given a seed. Nothing here imports Django or
``coproduce`` (an import-linter contract keeps it that way), so the same code runs in the web
app, in the command line (``python -m civic_algorithms``) and in anyone's notebook when they
want to check a published result.
"""

__version__ = "0.1.0"
