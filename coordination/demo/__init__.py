"""Realistic demo data for a French local partnership network (`flask demo-data`)."""

import random

from ..models import Action, ActionUpdate
from . import actions, cycle, directory, glossary, meetings, network, orientations, people, projects

# About 300 organisations and 1,500 accounts for 100,000 persons (quality.md).
PERSONS_PER_ORGANISATION = 333
ACCOUNTS_PER_ORGANISATION = 5


def build(persons, seed):
    """Fill an empty database; the same seed gives the same data on every machine."""
    rng = random.Random(seed)
    organisations = max(len(network.CORE_ORGANISATIONS), persons // PERSONS_PER_ORGANISATION)
    core = network.build(organisations, ACCOUNTS_PER_ORGANISATION, rng)
    directory.build(rng)
    glossary.build()
    people.build(max(persons - len(people.NAMED), 0), people.random_generator(seed))
    people.named(core, network.DEMO_DOMAIN)
    orientations.build(core, network.DEMO_DOMAIN)
    meetings.add_network_theme()
    meetings.build(core, rng)
    with people.loaded_in_bulk(Action.__table__, ActionUpdate.__table__):
        meetings.history(persons, rng)
        actions.build(rng)
    projects.build(core, rng)
    cycle.build(core)
