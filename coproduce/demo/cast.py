"""Everyone in Northfield the demo story names, each once: their email and the name they use.

The areas' content modules pick their people from here (``people(...)``), so that a resident who
proposes in the budget, posts an idea and answers a survey is one person with one name.
"""

from __future__ import annotations

from coproduce.accounts.models import User
from coproduce.accounts.tests.factories import UserFactory

NAMES: dict[str, str] = {
    "resident@example.org": "Jo Bennett",
    "priya.s@example.org": "Priya Sharma",
    "dave.m@example.org": "Dave Morgan",
    "amina.yusuf@example.org": "Amina Yusuf",
    "gareth.lloyd@example.org": "Gareth Lloyd",
    "ellie.chen@example.org": "Ellie Chen",
    "marcus.reid@example.org": "Marcus Reid",
    "bridget.oconnor@example.org": "Bridget O'Connor",
    "tomasz.nowak@example.org": "Tomasz Nowak",
    "leah.francis@example.org": "Leah Francis",
    "kwame.mensah@example.org": "Kwame Mensah",
    "rosie.hughes@example.org": "Rosie Hughes",
    "danny.walsh@example.org": "Danny Walsh",
    "sophie.turner@example.org": "Sophie Turner",
    "imran.hussain@example.org": "Imran Hussain",
    "beth.evans@example.org": "Beth Evans",
    "callum.price@example.org": "Callum Price",
    "nadia.kowalski@example.org": "Nadia Kowalski",
    "owen.davies@example.org": "Owen Davies",
    "zara.ahmed@example.org": "Zara Ahmed",
    "mia.robinson@example.org": "Mia Robinson",
    "tyler.brooks@example.org": "Tyler Brooks",
    "ella.hughes@example.org": "Ella Hughes",
    "jayden.clarke@example.org": "Jayden Clarke",
    "amira.begum@example.org": "Amira Begum",
    "luke.patel@example.org": "Luke Patel",
    "grace.okafor@example.org": "Grace Okafor",
    "kai.morgan@example.org": "Kai Morgan",
    "holly.wright@example.org": "Holly Wright",
    "reece.john@example.org": "Reece John",
    "freya.lewis@example.org": "Freya Lewis",
    "nathan.shaw@example.org": "Nathan Shaw",
}


def people(*emails: str) -> list[tuple[str, str]]:
    """(email, name) of each of these residents, in this order."""
    return [(email, NAMES[email]) for email in emails]


def resident(people: dict[str, User], email: str) -> User:
    """The resident with this email, made the first time the story needs them; one the list
    does not name is called by their email's first part ("sam.jones" → "Sam Jones")."""
    if email not in people:
        name = NAMES.get(email) or email.split("@")[0].replace(".", " ").title()
        people[email] = UserFactory(email=email, name=name)
    return people[email]
