"""An attacker that knows no linear algebra: it searches whole-number tables that fit what is published.

Independent of the engine on purpose: it only adds and subtracts. A hidden cell is safe when some
table of non-negative whole numbers gives every published cell and total its published value
while giving that cell a value other than its true one (the true table always fits).
"""

from __future__ import annotations

from civic_algorithms.disclosure import Table


def equations(
    table: Table, hidden: frozenset[int], withheld: frozenset[int] = frozenset()
) -> list[tuple[frozenset[int], int]]:
    """For each published total with a hidden cell: its hidden cells and what they add up to."""
    found = []
    for t, total in enumerate(table.totals):
        if t in withheld or not total & hidden:
            continue
        published = sum(table.values[i] for i in total)
        shown = sum(table.values[i] for i in total - hidden)
        found.append((total & hidden, published - shown))
    return found


def can_differ(
    table: Table, hidden: frozenset[int], cell: int, withheld: frozenset[int] = frozenset()
) -> bool:
    """Whether some fitting table gives ``cell`` another value than its true one (exhaustive)."""
    system = equations(table, hidden, withheld)
    if not any(cell in members for members, _ in system):
        return True  # no published total bounds it: any value fits
    bound = sorted({c for members, _ in system for c in members} - {cell})
    order = [cell, *bound]
    position = {c: k for k, c in enumerate(order)}
    mine = [[e for e, (members, _) in enumerate(system) if c in members] for c in order]
    closes = [
        [e for e in mine[k] if max(position[c] for c in system[e][0]) == k]
        for k in range(len(order))
    ]
    remaining = [rest for _, rest in system]

    def search(k: int) -> bool:
        if k == len(order):
            return True  # every equation was closed exactly at its last cell
        top = min(remaining[e] for e in mine[k])
        if closes[k]:
            forced = remaining[closes[k][0]]
            choices: range | list[int] = [forced] if 0 <= forced <= top else []
        else:
            choices = range(top + 1)
        for value in choices:
            if k == 0 and value == table.values[cell]:
                continue
            for e in mine[k]:
                remaining[e] -= value
            fits = all(remaining[e] == 0 for e in closes[k]) and search(k + 1)
            for e in mine[k]:
                remaining[e] += value
            if fits:
                return True
        return False

    return search(0)


def fixed(
    table: Table, hidden: frozenset[int], withheld: frozenset[int] = frozenset()
) -> frozenset[int]:
    """The hidden cells that take one value only in every fitting table."""
    return frozenset(cell for cell in hidden if not can_differ(table, hidden, cell, withheld))
