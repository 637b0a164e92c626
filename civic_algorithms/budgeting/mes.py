"""The Method of Equal Shares (MES): an exact engine and a fast engine that proves its choices.

Every voter starts with an equal share of the budget. A project can be bought when its supporters
together still hold its cost; each supporter pays in proportion to their satisfaction, capped by
what they have left. MES repeatedly buys the project whose price per unit of satisfaction
(``rho``) is lowest. See https://equalshares.net/ for the method itself.

Identical ballots are merged into groups. The exact engine keeps groups in *budget classes*
(ballots that have paid the same amounts hold the same budget) and does all arithmetic in
fractions. The fast engine keeps one float budget per group; whenever two candidates are within a
relative 1e-9 of each other, or a project is within 1e-9 of (un)affordability, it decides exactly
instead (see ``docs/decisions/0100-budgeting-exact-arithmetic.md``), so it always selects what the
exact engine selects; tests check this on real data. ``add1.search_add1`` drives the Add1
completion and skips shares it can prove give the same outcome (``add1.extend_run``, decision
0101). The fast
engine's two innermost steps, pricing a project and paying for it, are compiled (``_steps.c``,
decision 0108): they compute the same floats as the plain Python loops the tests keep beside them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from civic_algorithms.budgeting import _steps
from civic_algorithms.budgeting.model import Tie
from civic_algorithms.budgeting.profile import IntArray, SatProfile

EPS = 1e-9  # relative margin below which the fast engine asks the exact engine (also in _steps.c)
FloatArray = npt.NDArray[np.float64]
# Reductions called as ufuncs: ndarray.sum() and friends go through a Python wrapper that costs
# more than the sum itself on a few dozen groups (decision 0107).
_any = np.logical_or.reduce


def same_bools(one: npt.NDArray[np.bool_], other: npt.NDArray[np.bool_]) -> bool:
    """``np.array_equal`` for two boolean arrays, without its Python overhead."""
    return one.shape == other.shape and one.tobytes() == other.tobytes()


class MesInvariantError(RuntimeError):
    """A soundness check failed: a decision the fast engine certified does not hold exactly.

    This is a bug in the engines, never bad input; the checks are plain ``if``s, so they also run
    under ``python -O``.
    """


@dataclass(frozen=True, eq=False)
class Candidates:
    """The projects MES may buy, with their supporters as (group, satisfaction) arrays."""

    profile: SatProfile
    projects: tuple[int, ...]
    free: tuple[int, ...]
    supporters: dict[int, IntArray]
    weights: dict[int, FloatArray]
    values: dict[int, IntArray]
    values_f: dict[int, FloatArray]
    weighted_f: dict[int, FloatArray]
    common: dict[int, float]
    codes: dict[int, IntArray]
    distinct: dict[int, IntArray]
    total: dict[int, int]
    costs_f: list[float]
    flat_groups: IntArray
    flat_owners: IntArray
    neighbours: dict[int, frozenset[int]] = field(default_factory=dict)
    views: dict[int, _View] = field(default_factory=dict)
    starts: dict[int, tuple[Sequence[int], dict[int, float], list[tuple[float, int, int]]]] = field(
        default_factory=dict
    )

    def start(self, ranks: Sequence[int]) -> tuple[dict[int, float], list[tuple[float, int, int]]]:
        """Every run's first price bounds (cost / total satisfaction) and their sorted queue
        entries, made once per tie-break; each run works on copies."""
        known = self.starts.get(id(ranks))
        if known is None or known[0] is not ranks:
            costs = self.profile.ballots.costs
            bound = {p: costs[p] / self.total[p] for p in self.projects}
            known = (ranks, bound, sorted((price, ranks[p], p) for p, price in bound.items()))
            self.starts[id(ranks)] = known
        return known[1], known[2]

    def view(self, project: int) -> _View:
        """All of a project's supporters as float arrays, shared by every run."""
        view = self.views.get(project)
        if view is None:
            view = _View(
                self.supporters[project],
                self.weights[project],
                self.values_f[project],
                self.weighted_f[project],
                float(self.total[project]),
                self.common[project],
            )
            self.views[project] = view
        return view

    def all_views(self) -> dict[int, _View]:
        """:meth:`view` of every candidate (made once)."""
        if len(self.views) < len(self.projects):
            for project in self.projects:
                self.view(project)
        return self.views

    def overlapping(self, project: int) -> frozenset[int]:
        """The candidates sharing at least one supporter with ``project`` (itself included)."""
        found = self.neighbours.get(project)
        if found is None:
            mine = np.zeros(len(self.profile.ballots.weights), dtype=bool)
            mine[self.supporters[project]] = True
            owners = self.flat_owners[mine[self.flat_groups]]
            # bincount, not np.unique: np.unique imports numpy.ma (30 ms of every process)
            found = frozenset(np.flatnonzero(np.bincount(owners)).tolist())
            self.neighbours[project] = found
        return found

    @classmethod
    def build(cls, profile: SatProfile) -> Candidates:
        """Projects with positive cost and some supporter; free projects are bought outright."""
        weights = profile.ballots.weights
        costs = profile.ballots.costs
        projects: list[int] = []
        free: list[int] = []
        sup: dict[int, IntArray] = {}
        wts: dict[int, FloatArray] = {}
        vals: dict[int, IntArray] = {}
        vals_f: dict[int, FloatArray] = {}
        weighted: dict[int, FloatArray] = {}
        common: dict[int, float] = {}
        codes: dict[int, IntArray] = {}
        distinct: dict[int, IntArray] = {}
        total: dict[int, int] = {}
        for project in range(profile.n_projects):
            groups = profile.supporters[project]
            values = profile.values[project]
            if len(groups) == 0:
                continue
            if costs[project] == 0:
                free.append(project)
                continue
            projects.append(project)
            sup[project] = groups
            wts[project] = weights[groups].astype(np.float64)
            vals[project] = values
            total[project] = _dot(weights[groups], values)
            vals_f[project] = values.astype(np.float64)
            weighted[project] = wts[project] * vals_f[project]
            uniques, inverse = np.unique(values, return_inverse=True)
            common[project] = float(uniques[0]) if len(uniques) == 1 else 0.0
            codes[project] = inverse.astype(np.int64)
            distinct[project] = uniques.astype(np.int64)
        return cls(
            profile=profile,
            projects=tuple(projects),
            free=tuple(free),
            supporters=sup,
            weights=wts,
            values=vals,
            values_f=vals_f,
            weighted_f=weighted,
            common=common,
            flat_groups=np.concatenate([sup[p] for p in projects] or [np.zeros(0, np.int64)]),
            flat_owners=np.repeat(
                np.asarray(projects, dtype=np.int64), [len(sup[p]) for p in projects]
            ),
            codes=codes,
            distinct=distinct,
            total=total,
            costs_f=[float(cost) for cost in costs],
        )


def _dot(weights: IntArray, values: IntArray) -> int:
    """Exact sum of weight * value."""
    if int(values.max(initial=0)) * int(weights.sum()) < 2**62:
        return int(np.dot(weights, values))
    return sum(int(w) * int(v) for w, v in zip(weights.tolist(), values.tolist(), strict=True))


@dataclass
class _Groups:
    """A project's supporters grouped by (budget class, satisfaction), in price order."""

    classes: list[int]
    sats: list[int]
    counts: list[int]
    new_class: Callable[[list[int]], IntArray]


class ExactClasses:
    """Budget classes in exact fractions: every ballot group is in one class, a class has one budget.

    Ballots that have paid the same amounts so far hold the same budget, so a project's
    supporters form a few (class, satisfaction) groups and exact arithmetic stays affordable.
    """

    def __init__(self, candidates: Candidates, share: Fraction) -> None:
        self.candidates = candidates
        self.of_group = np.ones(len(candidates.profile.ballots.weights), dtype=np.int64)
        self.budget: list[Fraction] = [Fraction(0), share]
        self.approx: list[float] = [0.0, float(share)]
        self.lookup: dict[Fraction, int] = {Fraction(0): 0, share: 1}

    def class_for(self, budget: Fraction) -> int:
        """The class holding exactly this budget (created when new)."""
        known = self.lookup.get(budget)
        if known is not None:
            return known
        self.lookup[budget] = len(self.budget)
        self.budget.append(budget)
        self.approx.append(float(budget))
        return len(self.budget) - 1

    def groups(self, project: int) -> _Groups:
        """Supporters with money left, grouped and sorted by budget per unit of satisfaction."""
        c = self.candidates
        cls = self.of_group[c.supporters[project]]
        width = len(c.distinct[project])
        keys, inverse = np.unique(cls * width + c.codes[project], return_inverse=True)
        counts = np.rint(np.bincount(inverse, weights=c.weights[project])).astype(np.int64)
        alive = np.flatnonzero(keys >= width)  # class 0 holds the ballots with nothing left
        classes = (keys[alive] // width).tolist()
        sats = c.distinct[project][keys[alive] % width].tolist()
        # Floats order the groups exactly except where two ratios round to the same float.
        order = sorted(
            range(len(classes)),
            key=lambda i: (self.approx[classes[i]] / sats[i], i),
        )
        order = self._exact_order(order, classes, sats)

        def new_class(targets: list[int]) -> IntArray:
            table = np.zeros(len(keys), dtype=np.int64)
            table[alive[order]] = targets
            return table[inverse]

        return _Groups(
            classes=[classes[i] for i in order],
            sats=[sats[i] for i in order],
            counts=[int(counts[alive[i]]) for i in order],
            new_class=new_class,
        )

    def _exact_order(self, order: list[int], classes: list[int], sats: list[int]) -> list[int]:
        ratios = [self.approx[classes[i]] / sats[i] for i in order]
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and ratios[end] == ratios[start]:
                end += 1
            if end - start > 1:
                order[start:end] = sorted(
                    order[start:end], key=lambda i: self.budget[classes[i]] / sats[i]
                )
            start = end
        return order

    def price(self, project: int) -> Fraction | None:
        """The exact rho of a project, or None when its supporters cannot afford it."""
        groups = self.groups(project)
        cost = self.candidates.profile.ballots.costs[project]
        remaining = sum(count * sat for count, sat in zip(groups.counts, groups.sats, strict=True))
        paid = Fraction(0)
        for k, sat, count in zip(groups.classes, groups.sats, groups.counts, strict=True):
            budget = self.budget[k]
            rho = (cost - paid) / remaining
            if rho * sat <= budget:
                return rho
            paid += count * budget
            remaining -= count * sat
        return None

    def pay(self, project: int, rho: Fraction) -> None:
        """Charge a bought project's supporters: each pays min(budget, rho * satisfaction)."""
        groups = self.groups(project)
        targets = [
            self.class_for(self.budget[k] - min(self.budget[k], rho * sat))
            for k, sat in zip(groups.classes, groups.sats, strict=True)
        ]
        self.of_group[self.candidates.supporters[project]] = groups.new_class(targets)


@dataclass(eq=False)
class _View:
    """Some of a project's supporters, as float arrays."""

    groups: IntArray
    weights: FloatArray
    sats: FloatArray
    w_sat: FloatArray
    total: float
    common: float

    def only(self, keep: npt.NDArray[np.bool_]) -> _View:
        w_sat = self.w_sat[keep]
        return _View(
            self.groups[keep],
            self.weights[keep],
            self.sats[keep],
            w_sat,
            float(w_sat.sum()),
            self.common,
        )


# What FloatState.price returns besides a price: a plain float or None, not an object per call.
UNAFFORDABLE = math.inf  # certainly unaffordable
UNSURE = None  # floats cannot tell: too close to (un)affordable, or the loop did not settle


class FloatState:
    """Ballot-group budgets as floats."""

    def __init__(self, candidates: Candidates, share: Fraction) -> None:
        self.candidates = candidates
        self.value = np.full(len(candidates.profile.ballots.weights), float(share))
        self.fuzzy = np.zeros(len(self.value), dtype=bool)  # may be exactly 0 or a crumb more
        self.views = dict(candidates.all_views())  # narrowed per state as supporters run dry
        self.looks = [0] * candidates.profile.n_projects
        self.costs = candidates.costs_f

    def constant_price(self, project: int, upper: FloatState | None = None) -> Fraction | None:
        """The exact price when every supporter with money can clearly pay their part.

        Supporters who certainly have nothing left drop out; if all others can pay their share
        of cost / (their total satisfaction) with room to spare, that ratio is the exact price.
        With ``upper`` (the same purchases at a larger share) the price must also stay put for
        every share in between: the same supporters are out of money at both ends.
        """
        c = self.candidates
        groups = c.supporters[project]
        if _any(self.fuzzy[groups]):
            return None
        budget = self.value[groups]
        holding = budget > 0
        changes = upper is not None and (
            bool(_any(upper.fuzzy[groups])) or not same_bools(holding, upper.value[groups] > 0)
        )
        if changes:
            return None
        if np.count_nonzero(holding) == len(holding):  # nobody has run dry: totals are known
            total = c.total[project]
            price = Fraction(c.profile.ballots.costs[project], total)
            line = float(price) * (1 + EPS)
            common = c.common[project]
            if common:
                return None if budget[budget.argmin()] < line * common else price
            return None if _any(budget < line * c.values_f[project]) else price
        total = _dot(c.profile.ballots.weights[groups[holding]], c.values[project][holding])
        if total == 0:
            return None
        price = Fraction(c.profile.ballots.costs[project], total)
        if bool(np.any(budget[holding] < float(price) * (1 + EPS) * c.values_f[project][holding])):
            return None
        return price

    def price(self, project: int, start: float) -> float | None:
        """Price of a project, found by growing the set of supporters who pay all they have.

        :data:`UNAFFORDABLE` (infinity) when its supporters certainly cannot pay for it,
        :data:`UNSURE` (None) when floats cannot tell.

        ``start`` must not exceed the true price (a price from an earlier round will do). At a
        trial price the supporters who cannot pay their part pay everything; the rest share
        what is left of the cost. That gives a new trial price, never above the true one, and
        the set of paying-everything supporters only grows, so the loop ends at the true price.
        The loop is compiled (``_steps.price``, decision 0108): it first sums the supporters'
        money, so that the many projects whose supporters have run dry leave at once; when a
        pass finds nobody new poor at the trial price, the next pass would sum the same poor in
        the same order and return the trial price, so it is returned at once.
        """
        view = self.views[project]
        looks = self.looks[project] + 1
        self.looks[project] = looks
        if looks % 8 == 0:
            holding = self.value[view.groups] > 0
            if 2 * np.count_nonzero(holding) < len(holding):  # most have run dry: drop them
                view = view.only(holding)
                self.views[project] = view
        return _steps.price(
            self.value,
            view.groups,
            view.weights,
            view.sats,
            view.w_sat,
            view.total,
            view.common,
            self.costs[project],
            start,
        )

    def split(self, project: int, rho: float) -> npt.NDArray[np.bool_] | None:
        """Which supporters would pay all they have at this price; None if any is too close."""
        c = self.candidates
        budget = self.value[c.supporters[project]]
        need = rho * c.values_f[project]
        if bool(np.any(np.abs(budget - need) <= EPS * need)):
            return None
        return budget < need

    def pay(self, project: int, rho: float, *, split: bool = True) -> bytes | None:
        """Charge a bought project's supporters: each pays min(budget, rho * satisfaction).

        Supporters left within a relative 1e-9 of their charge become ``fuzzy`` (they may hold
        exactly nothing or a crumb), and then the result is None. Otherwise, with ``split``, it
        is who paid all they had, one byte per supporter (compiled: ``_steps.pay``, decision
        0108); without, None.
        """
        c = self.candidates
        return _steps.pay(
            self.value,
            self.fuzzy,
            c.supporters[project],
            c.values_f[project],
            c.common[project],
            rho,
            split,
        )


@dataclass
class MesRun:
    """The projects bought, in order, and the ties met on the way."""

    bought: list[int] = field(default_factory=list)
    ties: list[tuple[list[int], int]] = field(default_factory=list)
    exact_rounds: int = 0
    prices: list[float] = field(default_factory=list)
    replayed: bool = False  # purchases certified by extend_run, not chosen by a run
    # for extend_run: each purchase's position, and the last earlier one sharing a supporter
    order: tuple[dict[int, int], list[int]] | None = field(default=None, compare=False, repr=False)


def _break_tie(tied: list[int], ranks: Sequence[int], run: MesRun) -> int:
    """The tie-break's choice among equally cheap projects; a real tie is recorded in ``run``."""
    chosen = min(tied, key=lambda p: ranks[p])
    if len(tied) > 1:
        run.ties.append((sorted(tied, key=lambda p: ranks[p]), chosen))
    return chosen


def run_exact(candidates: Candidates, share: Fraction, ranks: Sequence[int]) -> MesRun:
    """MES with exact arithmetic throughout; ``share`` is each voter's starting budget."""
    state = ExactClasses(candidates, share)
    costs = candidates.profile.ballots.costs
    bound = {p: Fraction(costs[p], candidates.total[p]) for p in candidates.projects}
    alive = set(candidates.projects)
    run = MesRun()
    while alive:
        best: Fraction | None = None
        tied: list[int] = []
        for project in sorted(alive, key=lambda p: (bound[p], ranks[p])):
            if best is not None and bound[project] > best:
                break
            rho = state.price(project)
            if rho is None:
                alive.discard(project)
                continue
            bound[project] = rho
            if best is None or rho < best:
                best, tied = rho, [project]
            elif rho == best:
                tied.append(project)
        if best is None:
            break
        chosen = _break_tie(tied, ranks, run)
        state.pay(chosen, best)
        alive.discard(chosen)
        run.bought.append(chosen)
    return run


@dataclass(slots=True)
class Ceiling:
    """The largest price bound a pass over the queue still looks at; the caller may lower it."""

    price: float = math.inf


class _Queue:
    """Alive projects sorted by (lower bound on price, tie rank), one entry each.

    A sorted list, not a heap: a pass reads the cheapest few in place instead of popping them and
    pushing them back every round. Entries of projects no longer alive are dropped when met.
    """

    def __init__(
        self, bound: dict[int, float], ranks: Sequence[int], entries: list[tuple[float, int, int]]
    ) -> None:
        self.bound = bound
        self.ranks = ranks
        self.entries = entries  # sorted, one per project in ``bound``

    def update(self, project: int, price: float) -> None:
        if price == self.bound[project]:  # often: the project's supporters could all pay
            return
        entries = self.entries
        rank = self.ranks[project]
        at = bisect.bisect_left(entries, (self.bound[project], rank, project))
        if at < len(entries) and entries[at][2] == project:
            del entries[at]
        self.bound[project] = price
        bisect.insort(entries, (price, rank, project))

    def pop_up_to(self, alive: set[int], ceiling: Ceiling) -> Iterator[int]:
        """Alive projects in order while their bound is within ``ceiling.price`` (which the caller
        may lower as it goes). While a project is yielded the caller may re-price or drop that
        project only; one re-priced during the pass is not yielded again."""
        entries = self.entries
        seen: set[int] = set()
        at = 0
        while at < len(entries):
            price, _, project = entries[at]
            if project not in alive:
                del entries[at]
                continue
            if project in seen:  # re-priced during this pass: keep it for later rounds
                at += 1
                continue
            if price > ceiling.price:
                return
            seen.add(project)
            yield project
            if at < len(entries) and entries[at][2] == project:
                at += 1  # still here; a re-priced project moved further down the list


class Pricer:
    """The fast engine at one share: float budgets and a lower bound on every candidate's price.

    A project is *fresh* while its bound is its current price. A purchase makes the projects that
    share a supporter with it stale: their prices can only have risen.
    """

    def __init__(self, candidates: Candidates, share: Fraction, ranks: Sequence[int]) -> None:
        self.candidates = candidates
        self.ranks = ranks
        self.state = FloatState(candidates, share)
        bound, entries = candidates.start(ranks)
        self.bound = dict(bound)
        self.queue = _Queue(self.bound, ranks, list(entries))
        self.fresh: set[int] = set()
        self.alive = set(candidates.projects)

    def refresh(self, project: int) -> bool:
        """Price a stale project (dropping it when unaffordable); False when floats cannot tell."""
        if project in self.fresh:
            return True
        price = self.state.price(project, self.bound[project])
        if price is None:  # UNSURE
            return False
        if price == UNAFFORDABLE:
            self.alive.discard(project)
        else:
            self.queue.update(project, price)
            self.fresh.add(project)
        return True

    def contenders(self) -> tuple[list[int], list[int]]:
        """The projects within 1e-9 of the cheapest (by tie rank), and those floats cannot price."""
        alive, bound, fresh = self.alive, self.bound, self.fresh
        ceiling = math.inf
        unsure: list[int] = []
        looked: list[int] = []
        # _Queue.pop_up_to written out: this is the inner loop of every round of every run
        entries = self.queue.entries
        moved: set[int] = set()  # re-priced in this pass: further down the list, seen already
        at = 0
        while at < len(entries):
            price, _, project = entries[at]
            if project not in alive:
                del entries[at]
                continue
            if project in moved:
                at += 1
                continue
            if price > ceiling:
                break
            if project in fresh:
                looked.append(project)
                ceiling = min(ceiling, price * (1 + EPS))
                at += 1
            elif not self.refresh(project):
                unsure.append(project)
                at += 1
            elif project in alive:
                moved.add(project)
                looked.append(project)
                ceiling = min(ceiling, bound[project] * (1 + EPS))
                if entries[at][2] == project:
                    at += 1
            else:  # unaffordable: gone
                del entries[at]
        near: list[int] = []  # a plain loop: closures make new cells every round (2 % of a run)
        for project in looked:
            if project in alive and bound[project] <= ceiling:
                near.append(project)
        near.sort(key=self.ranks.__getitem__)
        return near, unsure

    def buy(self, project: int, rho: float, *, split: bool = True) -> bytes | None:
        """Charge a purchase's supporters; the projects sharing one with it go stale.

        Returns who paid all they had (:meth:`FloatState.pay`).
        """
        paid = self.state.pay(project, rho, split=split)
        # a new set, not -=: that walks all the overlapping projects, this only the fresh few
        self.fresh = self.fresh - self.candidates.overlapping(project)
        self.alive.discard(project)
        return paid

    def none_affordable(self) -> bool:
        """Whether every project left is certainly unaffordable."""
        for project in self.alive:
            price = self.state.price(project, self.bound[project])
            if price != UNAFFORDABLE:  # affordable, or floats cannot tell
                return False
        return True


def run_fast(candidates: Candidates, share: Fraction, ranks: Sequence[int]) -> MesRun:
    """MES in floats; every close decision is taken again in exact fractions."""
    pricer = Pricer(candidates, share, ranks)
    run = MesRun()
    shadow: ExactClasses | None = None  # the exact state, kept in step from the first need on
    while pricer.alive:
        near, unsure = pricer.contenders()
        exact_price: Fraction | None = None  # set when the choice was made in fractions
        if unsure or len(near) > 1:
            exact = None if unsure else _constant_prices(pricer.state, near)
            if exact is None:
                if shadow is None:
                    shadow = _replay(candidates, share, run.bought)
                run.exact_rounds += 1
                exact = _exact_prices(shadow, [*unsure, *near], pricer.alive)
            if not exact:  # every project looked at was unaffordable; look again
                continue
            exact_price = min(exact.values())
            chosen = _break_tie([p for p, rho in exact.items() if rho == exact_price], ranks, run)
            rate = float(exact_price)
        elif near:
            chosen = near[0]
            rate = pricer.bound[chosen]
        else:
            break
        run.prices.append(rate)
        pricer.buy(chosen, rate, split=False)  # a run never reads who paid all
        if shadow is not None:
            if exact_price is None:
                exact_price = certified_price(shadow, chosen)
            shadow.pay(chosen, exact_price)
        run.bought.append(chosen)
    return run


def _constant_prices(state: FloatState, projects: list[int]) -> dict[int, Fraction] | None:
    """Exact prices when every project's is constant (:meth:`FloatState.constant_price`)."""
    prices: dict[int, Fraction] = {}
    for project in projects:
        price = state.constant_price(project)
        if price is None:
            return None
        prices[project] = price
    return prices


def _exact_prices(
    shadow: ExactClasses, projects: list[int], alive: set[int]
) -> dict[int, Fraction]:
    """Exact prices of the affordable ``projects``; the unaffordable ones leave ``alive``."""
    prices: dict[int, Fraction] = {}
    for project in projects:
        rho = shadow.price(project)
        if rho is None:
            alive.discard(project)
        else:
            prices[project] = rho
    return prices


def certified_price(shadow: ExactClasses, project: int) -> Fraction:
    """The exact price of a purchase the fast engine certified; :class:`MesInvariantError` if none."""
    rho = shadow.price(project)
    if rho is None:
        raise MesInvariantError(
            f"project {project} was bought as certainly affordable, "
            "but its supporters cannot afford it in exact arithmetic"
        )
    return rho


def _replay(candidates: Candidates, share: Fraction, bought: Sequence[int]) -> ExactClasses:
    """The exact state after buying ``bought`` in order (each purchase was already certain)."""
    shadow = ExactClasses(candidates, share)
    for project in bought:
        shadow.pay(project, certified_price(shadow, project))
    return shadow


def run_mes(
    candidates: Candidates, share: Fraction, ranks: Sequence[int], *, exact: bool = False
) -> MesRun:
    """One MES run at a given starting share per voter."""
    if share <= 0:
        return MesRun()
    return (run_exact if exact else run_fast)(candidates, share, ranks)


def ties_as_records(run: MesRun, ids: Sequence[str], step: str) -> tuple[Tie, ...]:
    """Ties of a run with project ids."""
    return tuple(
        Tie(
            step=f"{step} purchase {run.bought.index(chosen) + 1}",
            candidates=tuple(ids[p] for p in tied),
            chosen=ids[chosen],
        )
        for tied, chosen in run.ties
    )
