"""The Add1 completion of the Method of Equal Shares: raise the voters' share one currency unit at a
time until the outcome no longer fits in the budget (``search_add1``), skipping the stretches of
shares that provably buy the same projects (``extend_run``, decisions 0101 and 0106). Every skip
is checked against MES itself at the share found (``check_same_purchases``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from civic_algorithms.budgeting.mes import (
    EPS,
    UNAFFORDABLE,
    Candidates,
    Ceiling,
    FloatState,
    MesInvariantError,
    MesRun,
    Pricer,
    run_mes,
    same_bools,
)


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
        self.high = Pricer(candidates, share, ranks)
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
        for rival in high.queue.pop_up_to(high.alive, Ceiling(limit)):
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
        return above is not None and same_bools(below, above)


def check_same_purchases(certified: MesRun, real: MesRun) -> None:
    """Raise :class:`MesInvariantError` unless MES itself bought what ``extend_run`` certified."""
    if set(real.bought) != set(certified.bought):
        missing = sorted(set(certified.bought) - set(real.bought))
        extra = sorted(set(real.bought) - set(certified.bought))
        raise MesInvariantError(
            "an Add1 extension was not sound: MES at the share found did not buy the certified "
            f"projects {missing} and bought {extra}, which were not certified"
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
