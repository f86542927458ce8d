"""Messe allocation: each pupil gets up to k company slots, as many wishes as possible, under capacities.

A min-cost maximum flow (networkx ``network_simplex``) on

    source ─(k)→ pupil ─(1, cost)→ company ─(capacity)→ sink

First the flow is maximal, so every pupil gets k slots whenever the capacities allow it (at
most one slot per company and pupil). Among maximal flows the cost is minimal, and the costs are
lexicographic weights: (1) as many satisfied wishes as possible, (2) then the better-ranked
wishes, (3) then a fair tie-break: a lottery order drawn from a recorded seed, so equal claims are
decided by lot and the plan can be reproduced. This is an exact optimum, not a heuristic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import networkx as nx


@dataclass
class Plan:
    k: int
    seed: int
    slots: dict[str, list[str]]  # pupil → companies (wishes first, by rank)
    satisfied: int  # wishes met
    rank_sum: int  # sum of the ranks of met wishes (1 = first wish)
    filled: int  # slots given without a wish (to reach k)
    unmet: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # pupil → [(company, reason)]
    load: dict[str, int] = field(default_factory=dict)  # company → slots given

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.slots.values())


def lottery(pupils: list[str], seed: int) -> dict[str, int]:
    order = sorted(pupils)
    random.Random(seed).shuffle(order)  # noqa: S311 – a lottery, not a secret
    return {p: i for i, p in enumerate(order)}


def allocate(
    wishes: dict[str, list[str]], capacities: dict[str, int], *, k: int, seed: int = 1, fill: bool = True
) -> Plan:
    """``wishes``: pupil → companies in order of preference; ``capacities``: company → slots in total.

    With ``fill``, pupils whose wishes cannot all be met get other companies with free capacity so
    that they still have k talks (as at the Mobile Ausbildungsmesse)."""
    pupils = sorted(wishes)
    companies = sorted(capacities)
    n = len(pupils)
    max_rank = max((len(w) for w in wishes.values()), default=0) + 1
    lots = lottery(pupils, seed)
    tie_max = n * k * n
    rank_w = tie_max + 1
    fill_w = n * k * max_rank * rank_w + tie_max + 1

    graph = nx.DiGraph()
    for p in pupils:
        graph.add_edge("S", ("p", p), capacity=k, weight=0)
        ranks = {c: r for r, c in enumerate(dict.fromkeys(wishes[p]), start=1) if c in capacities}
        for c in companies:
            if c in ranks:
                graph.add_edge(("p", p), ("c", c), capacity=1, weight=ranks[c] * rank_w + lots[p])
            elif fill:
                graph.add_edge(("p", p), ("c", c), capacity=1, weight=fill_w)
    for c in companies:
        graph.add_edge(("c", c), "T", capacity=max(int(capacities[c]), 0), weight=0)
    if not pupils or not companies:
        return Plan(k=k, seed=seed, slots={p: [] for p in pupils}, satisfied=0, rank_sum=0, filled=0)
    # One network-simplex run: the bypass S→T carries what cannot be placed, at a cost above any
    # real path, so the result is a maximum flow of minimum cost (as ``max_flow_min_cost``, faster).
    demand = n * k
    graph.add_edge("S", "T", capacity=demand, weight=fill_w * 2 + 1)
    graph.nodes["S"]["demand"], graph.nodes["T"]["demand"] = -demand, demand
    _, flow = nx.network_simplex(graph)

    slots, satisfied, rank_sum, filled = {}, 0, 0, 0
    load = dict.fromkeys(companies, 0)
    for p in pupils:
        ranks = {c: r for r, c in enumerate(dict.fromkeys(wishes[p]), start=1)}
        got = [c for (_, c), f in flow[("p", p)].items() if f > 0]
        got.sort(key=lambda c: (ranks.get(c, 10**6), c))
        slots[p] = got
        for c in got:
            load[c] += 1
            if c in ranks:
                satisfied += 1
                rank_sum += ranks[c]
            else:
                filled += 1
    plan = Plan(k=k, seed=seed, slots=slots, satisfied=satisfied, rank_sum=rank_sum, filled=filled, load=load)
    plan.unmet = plan_explain(plan, wishes, capacities, lots)
    return plan


def plan_explain(plan: Plan, wishes, capacities, lots) -> dict[str, list[tuple[str, str]]]:
    """Why each unmet wish was not met, in words a pupil and a teacher understand."""
    unmet: dict[str, list[tuple[str, str]]] = {}
    for p, wished in wishes.items():
        got = set(plan.slots.get(p, []))
        wished_got = [c for c in wished if c in got]
        reasons = []
        for rank, c in enumerate(dict.fromkeys(wished), start=1):
            if c in got:
                continue
            if c not in capacities:
                why = "Betrieb nimmt nicht teil"
            elif plan.load.get(c, 0) >= capacities[c]:
                why = (
                    f"ausgebucht: alle {capacities[c]} Plätze vergeben (Vorrang hatten mehr erfüllte und höhere "
                    f"Wünsche insgesamt, bei Gleichstand das Los; Losnummer {lots[p] + 1})"
                )
            elif len(wished_got) >= plan.k:
                why = f"schon {plan.k} Plätze mit anderen Wünschen belegt"
            else:
                why = "zugunsten mehrerer erfüllter Wünsche anderer Schüler*innen anders verteilt"
            reasons.append((c, f"Wunsch {rank}: {why}"))
        if reasons:
            unmet[p] = reasons
    return unmet
