"""The equality questions and their answers, in the categories of the 2021 Census of England and
Wales (ONS), so that who took part can be set beside the area's population (decision 0091).

Each question offers "Prefer not to say". The codes are what is stored, imported and exported; the
labels are what people read. A population figure for a category is imported with these codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PREFER_NOT = "prefer_not"
NOT_ANSWERED = "not_answered"  # in tables only: a person who left the question out


@dataclass(frozen=True)
class Category:
    """One equality question."""

    code: str
    title: StrOrPromise
    question: StrOrPromise
    hint: StrOrPromise
    options: tuple[tuple[str, StrOrPromise], ...]  # without "Prefer not to say"
    census_table: str  # the ONS 2021 table its population figures come from

    @property
    def choices(self) -> list[tuple[str, StrOrPromise]]:
        return [*self.options, (PREFER_NOT, _("Prefer not to say"))]

    def label(self, value: str) -> str:
        """The words for a stored answer (an unknown code is shown as it is)."""
        if value == NOT_ANSWERED:
            return str(NOT_ANSWERED_LABEL)
        return str(dict(self.choices).get(value, value))


CATEGORIES: tuple[Category, ...] = (
    Category(
        "age",
        _("Age"),
        _("What is your age?"),
        _("Choose the band your age is in."),
        (
            ("under_16", _("Under 16")),
            ("16_24", _("16 to 24")),
            ("25_34", _("25 to 34")),
            ("35_49", _("35 to 49")),
            ("50_64", _("50 to 64")),
            ("65_74", _("65 to 74")),
            ("75_plus", _("75 or over")),
        ),
        "TS007A",
    ),
    Category(
        "sex",
        _("Sex"),
        _("What is your sex?"),
        _("The 2021 Census asked this question in these words."),
        (("female", _("Female")), ("male", _("Male"))),
        "TS008",
    ),
    Category(
        "gender_identity",
        _("Gender identity"),
        _("Is the gender you identify with the same as your sex registered at birth?"),
        _("You do not have to answer."),
        (
            ("same", _("Yes")),
            ("trans_woman", _("No: trans woman")),
            ("trans_man", _("No: trans man")),
            ("non_binary", _("No: non-binary")),
            ("other", _("No: another gender identity")),
        ),
        "TS078",
    ),
    Category(
        "ethnic_group",
        _("Ethnic group"),
        _("What is your ethnic group?"),
        _("The five groups of the 2021 Census."),
        (
            ("asian", _("Asian, Asian British or Asian Welsh")),
            ("black", _("Black, Black British, Black Welsh, Caribbean or African")),
            ("mixed", _("Mixed or multiple ethnic groups")),
            ("white", _("White")),
            ("other", _("Another ethnic group")),
        ),
        "TS021",
    ),
    Category(
        "disability",
        _("Disability"),
        _(
            "Do you have a physical or mental health condition or illness that limits your "
            "day-to-day activities?"
        ),
        _("Conditions or illnesses lasting or expected to last 12 months or more."),
        (
            ("a_lot", _("Yes, limited a lot")),
            ("a_little", _("Yes, limited a little")),
            ("no", _("No")),
        ),
        "TS038",
    ),
    Category(
        "religion",
        _("Religion"),
        _("What is your religion?"),
        _("You do not have to answer."),
        (
            ("none", _("No religion")),
            ("christian", _("Christian")),
            ("buddhist", _("Buddhist")),
            ("hindu", _("Hindu")),
            ("jewish", _("Jewish")),
            ("muslim", _("Muslim")),
            ("sikh", _("Sikh")),
            ("other", _("Another religion")),
        ),
        "TS030",
    ),
    Category(
        "sexual_orientation",
        _("Sexual orientation"),
        _("Which of the following best describes your sexual orientation?"),
        _("You do not have to answer."),
        (
            ("straight", _("Straight or heterosexual")),
            ("gay_lesbian", _("Gay or lesbian")),
            ("bisexual", _("Bisexual")),
            ("other", _("Another sexual orientation")),
        ),
        "TS077",
    ),
    Category(
        "carer",
        _("Unpaid care"),
        _(
            "Do you look after, or give help or support to, anyone because of a long-term "
            "condition, illness or problems related to old age?"
        ),
        _("Leave out anything you do as part of your paid work."),
        (
            ("no", _("No")),
            ("up_to_19", _("Yes, 19 hours a week or less")),
            ("20_49", _("Yes, 20 to 49 hours a week")),
            ("50_plus", _("Yes, 50 or more hours a week")),
        ),
        "TS039",
    ),
)

BY_CODE = {category.code: category for category in CATEGORIES}
# The postcode district (the first half of a postcode, like B31) is asked too: it places a person
# in an area without placing them at an address. It is a free answer, shown in tables like a
# category whose options are the districts people gave.
POSTCODE_DISTRICT = "postcode_district"
DISTRICT_TITLE = _("Postcode district")
DISTRICT_QUESTION = _("What is the first half of your postcode?")
NOT_ANSWERED_LABEL = _("Not answered")
