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
exact engine selects; tests check this on real data. ``search_add1`` drives the Add1 completion
and skips shares it can prove give the same outcome (``extend_run``, decision 0101). The fast
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


def _same(one: npt.NDArray[np.bool_], other: npt.NDArray[np.bool_]) -> bool:
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
            bool(_any(upper.fuzzy[groups])) or not _same(holding, upper.value[groups] > 0)
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
class _Ceiling:
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

    def pop_up_to(self, alive: set[int], ceiling: _Ceiling) -> Iterator[int]:
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


class _Pricer:
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
    pricer = _Pricer(candidates, share, ranks)
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


def extend_run(
    candidates: Candidates,
    base: MesRun,
    base_share: Fraction,
    share: Fraction,
    ranks: Sequence[int],
) -> MesRun | None:
    """The purchases at ``share`` (> ``base_share``) when MES provably buys the same projects
    at every share in between, in an order that changes nothing; None when that is not shown.

    Along a fixed set of purchases more starting money never lowers a budget, so prices can
    only fall and affordability only grow as the share rises; and buying more only raises
    prices. So it is enough to replay ``base`` at ``share`` and find, before each purchase,
    every other project unaffordable or dearer than the purchase was at ``base_share``. Three
    exceptions keep the proof: a later purchase that shares no supporter with anything bought
    in between may come earlier (buying it first changes no one else's price), and so may one
    whose shared supporters can pay in full for it and all bought in between (decision 0106),
    as buying it first changes no price either; and prices that are cost / total satisfaction
    (nobody pays all they have) stay put, so ties between such prices carry over. Failing
    that, a comparison that holds at both ends holds in between as long as nothing in it
    changes who pays all they have (then everything is affine in the share). The result lists
    the purchases in ``base`` order; MES at ``share`` buys the same set.
    """
    extension = _Extension(candidates, base, base_share, share, ranks)
    for index, (chosen, before) in enumerate(zip(base.bought, base.prices, strict=True)):
        if not extension.certify(index, chosen, before):
            return None
    return extension.run if extension.high.none_affordable() else None


def _last_overlaps(candidates: Candidates, bought: Sequence[int]) -> list[int]:
    """For each purchase, the position of the last earlier one sharing a supporter (else -1)."""
    found: list[int] = []
    for index, project in enumerate(bought):
        near = candidates.overlapping(project)
        last = index - 1  # most purchases share a supporter with one just before: look back
        while last >= 0 and bought[last] not in near:
            last -= 1
        found.append(last)
    return found


class _Extension:
    """:func:`extend_run`'s replay of a base run at a larger share, checked purchase by purchase.

    ``high`` is the replay at the new share, ``low`` the base run again at its own share. Most
    checks read only ``high``, so ``low()`` brings it up to date only when a check reads it: the
    purchases wait in ``high_splits`` (who paid all they had at the new share) until then.
    """

    def __init__(
        self,
        candidates: Candidates,
        base: MesRun,
        base_share: Fraction,
        share: Fraction,
        ranks: Sequence[int],
    ) -> None:
        self.ranks = ranks
        self.high = _Pricer(candidates, share, ranks)
        self.low_state = FloatState(candidates, base_share)
        self.low_paid = 0  # base purchases charged in low_state so far
        self.high_splits: list[bytes | None] = []
        self.candidates = candidates
        self.base = base
        if base.order is None:  # a base is often extended more than once
            base.order = (
                {project: index for index, project in enumerate(base.bought)},
                _last_overlaps(candidates, base.bought),
            )
        self.position, self.last_overlap = base.order
        # While every purchase so far splits its supporters the same way at both shares, every
        # budget is an affine function of the share in between, and so is any price that also
        # splits the same way at both ends: such a comparison that holds at both ends holds between.
        self.affine = True
        self.affine_possible = True  # no purchase has been seen to break ``affine`` yet
        self.step: tuple[int, float, float] = (-1, 0.0, 0.0)  # this round's purchase and prices
        self.step_affine: bool | None = None  # self.affine with its split too, found when needed
        self.constants: dict[int, Fraction | None] = {}  # this round's, found when first needed
        self.run = MesRun(replayed=True)

    def certify(self, index: int, chosen: int, before: float) -> bool:
        """Buy base purchase ``index`` at the new share if no rival can overtake it in between."""
        high = self.high
        if not high.refresh(chosen) or chosen not in high.alive:
            return False
        limit = before * (1 + EPS)
        now = high.bound[chosen]
        self.step, self.step_affine = (chosen, before, now), None
        for rival in high.queue.pop_up_to(high.alive, _Ceiling(limit)):
            if rival == chosen:
                continue
            if not high.refresh(rival):
                return False
            if (
                rival not in high.alive  # unaffordable
                or high.bound[rival] > limit  # dearer than the purchase was at the base share
                or self._may_come_first(rival, index)
            ):
                continue
            if not self._stays_behind(rival, chosen, limit, now) and not self._commutes(
                rival, index
            ):
                return False
        split = high.buy(chosen, now, split=self.affine_possible)
        self.affine_possible = self.affine_possible and split is not None
        self.high_splits.append(split)
        self.constants.clear()  # a purchase moves prices
        self.run.bought.append(chosen)
        self.run.prices.append(now)
        return True

    def low(self) -> FloatState:
        """The base run at its share, up to the purchase being certified (charged when asked for).

        Charging a purchase also keeps ``affine``: whether it split its supporters the same way
        at both shares.
        """
        state = self.low_state
        bought, prices, splits = self.base.bought, self.base.prices, self.high_splits
        for index in range(self.low_paid, len(splits)):
            if not self.affine:  # for good: who paid all need not be found any more
                state.pay(bought[index], prices[index], split=False)
                continue
            low_split = state.pay(bought[index], prices[index])
            high_split = splits[index]
            self.affine = (
                high_split is not None and low_split is not None and high_split == low_split
            )
        self.low_paid = len(splits)
        self.affine_possible = self.affine_possible and self.affine
        return state

    def _may_come_first(self, rival: int, index: int) -> bool:
        """Whether ``rival`` is a later purchase sharing no supporter with those from ``index`` on."""
        later = self.position.get(rival, -1)
        return later > index and self.last_overlap[later] < index

    def _commutes(self, rival: int, index: int) -> bool:
        """Whether ``rival``, a later purchase, may come first because buying it earlier changes
        no price: every supporter it shares with the purchases from ``index`` up to it can pay
        for all of those (and it) in full at the base share, with room to spare (decision 0106).
        """
        later = self.position.get(rival, -1)
        if later <= index:
            return False
        c = self.candidates
        low = self.low()
        need = np.zeros(len(low.value))
        shared = np.zeros(len(low.value), dtype=bool)
        for project, price in zip(
            self.base.bought[index:later], self.base.prices[index:later], strict=True
        ):
            groups = c.supporters[project]
            need[groups] += price * c.values_f[project]
            shared[groups] = True
        groups = c.supporters[rival]
        mine = shared[groups]
        groups = groups[mine]
        total = need[groups] + self.base.prices[later] * c.values_f[rival][mine]
        if bool(low.fuzzy[groups].any()):
            return False
        return bool(np.all(low.value[groups] > total * (1 + EPS)))

    def _stays_behind(self, rival: int, chosen: int, limit: float, now: float) -> bool:
        """Whether a rival priced close to the purchase stays behind it at every share between."""
        chosen_price = self._constant_price(chosen)
        rival_price = None if chosen_price is None else self._constant_price(rival)
        if chosen_price is not None and rival_price is not None:
            return (rival_price, self.ranks[rival]) > (chosen_price, self.ranks[chosen])
        return self._dearer_throughout(rival, limit, now)

    def _constant_price(self, project: int) -> Fraction | None:
        """The project's price if constant over the stretch (:meth:`FloatState.constant_price`)."""
        if project not in self.constants:
            self.constants[project] = self.low().constant_price(project, self.high.state)
        return self.constants[project]

    def _dearer_throughout(self, rival: int, limit: float, now: float) -> bool:
        """Whether a rival is dearer at both shares and, like every budget, affine in between."""
        high_price = self.high.bound[rival]
        if not self._affine() or high_price <= now * (1 + EPS):
            return False
        earlier = self.low().price(rival, 0.0)
        if earlier is None or earlier == UNAFFORDABLE or earlier <= limit:
            return False
        return self._same_split(rival, earlier, high_price)

    def _affine(self) -> bool:
        """Whether every purchase so far and this round's split their supporters the same way."""
        if self.step_affine is None:
            self.low()  # brings ``affine`` up to date
            self.step_affine = self.affine and self._same_split(*self.step)
        return self.step_affine

    def _same_split(self, project: int, low_price: float, high_price: float) -> bool:
        """Whether the same supporters pay all they have at both shares (none of them too close)."""
        below = self.low().split(project, low_price)
        if below is None:
            return False
        above = self.high.state.split(project, high_price)
        return above is not None and _same(below, above)


def _replay(candidates: Candidates, share: Fraction, bought: Sequence[int]) -> ExactClasses:
    """The exact state after buying ``bought`` in order (each purchase was already certain)."""
    shadow = ExactClasses(candidates, share)
    for project in bought:
        shadow.pay(project, certified_price(shadow, project))
    return shadow


def check_same_purchases(certified: MesRun, real: MesRun) -> None:
    """Raise :class:`MesInvariantError` unless MES itself bought what ``extend_run`` certified."""
    if set(real.bought) != set(certified.bought):
        missing = sorted(set(certified.bought) - set(real.bought))
        extra = sorted(set(real.bought) - set(certified.bought))
        raise MesInvariantError(
            "an Add1 extension was not sound: MES at the share found did not buy the certified "
            f"projects {missing} and bought {extra}, which were not certified"
        )


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


@dataclass
class Add1:
    """Where the Add1 search stopped: the run kept, its share, and the work it took."""

    run: MesRun
    share: Fraction
    runs: int = 1
    extensions: int = 0
    extended: int = 0


def search_add1(
    candidates: Candidates,
    ranks: Sequence[int],
    first: Fraction,
    grid: Fraction,
    *,
    stop_when_exhaustive: bool,
    exact: bool = False,
    skip: bool = True,
) -> Add1:
    """Raise the voters' share one currency unit at a time, as Add1 completions do.

    Shares tried: ``first``, then ``grid``, ``grid`` + 1 unit, ... The search keeps the last
    outcome that fits in the budget before the first that does not; it also stops at an
    outcome that buys every candidate, or (``stop_when_exhaustive``) at one where no
    candidate fits in the money left. Unless ``skip`` is off (or the engine is exact), stretches
    of shares with the same purchases are skipped with :func:`extend_run`: the stretch doubles
    while that works and halves when it does not (once halved, it keeps the length that worked
    for the next try: doubling straight back mostly failed again; 13-19 % fewer extensions tried
    on Toulouse and Warsaw 2026); when even one raise cannot be skipped the search runs plainly
    for 1, 3, 7, ... raises before trying again.
    """
    ballots = candidates.profile.ballots
    unit = ballots.unit
    free_cost = sum(ballots.costs[p] for p in candidates.free)

    def spent(run: MesRun) -> int:
        return free_cost + sum(ballots.costs[p] for p in run.bought)

    def stops(run: MesRun) -> bool:
        if len(run.bought) == len(candidates.projects):
            return True
        if not stop_when_exhaustive:
            return False
        left = ballots.budget - spent(run)
        bought = set(run.bought)
        return all(ballots.costs[p] > left for p in candidates.projects if p not in bought)

    found = Add1(run_mes(candidates, first, ranks, exact=exact), first)
    following = grid
    stride = 1
    failures = 0  # extensions that failed in a row
    halved = False  # the last stretch tried was half of one that failed
    wait = 0  # plain runs to do before trying an extension again
    while not stops(found.run):
        if stride > 1:
            target = following + (stride - 1) * unit
            extended = extend_run(candidates, found.run, found.share, target, ranks)
            found.extensions += 1
            if extended is not None:
                found.extended += 1
                failures = 0
                found.run, found.share = extended, target
                following = target + unit
                if not halved:
                    stride *= 2
                halved = False
            elif stride > 2:  # the stretch was too long: try half of it
                stride //= 2
                halved = True
            else:  # not even one raise could be skipped: run plainly for a while
                failures += 1
                wait = 2 ** min(failures, 6) - 1
                stride = 1
            continue
        trial = run_mes(candidates, following, ranks, exact=exact)
        found.runs += 1
        if spent(trial) > ballots.budget:
            break
        same = set(trial.bought) == set(found.run.bought)
        found.run, found.share = trial, following
        following += unit
        wait = max(wait - 1, 0)
        stride = 2 if same and skip and not exact and wait == 0 else 1
    if found.run.replayed:  # run MES itself at the share found, for its true order and ties
        real = run_mes(candidates, found.share, ranks)
        found.runs += 1
        check_same_purchases(found.run, real)
        found.run = real
    return found
