"""The adversarial sweep (issue 12, "Done means"): every route of the app, every id of its URL
tampered (huge, negative, zero, non-numeric), every form posted with hostile values; never a
5xx, on SQLite and PostgreSQL alike. Hypothesis explores the central forms further."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from coordination.forms import BaseForm, FilterForm
from coordination.models import Role
from tests import factories
from tests.helpers import form_fields, sign_in

TAMPERED_IDS = ["99999999999999999999", "2147483648", "-1", "abc"]
TAMPERED_WORDS = ["..%2F..%2Fetc", "%3Cscript%3E" + "x" * 300]
HOSTILE_VALUES = [
    "99999999999999999999",
    "-1",
    "",
    "<script>alert(1)</script>{{ 7*7 }}{% raw %}",
    "\x00\u202eevil\u200b",
    "31/02/2026",
    "2026-13-45",
    "NaN",
    "1e999",
    "x" * 6_000,
    "'; DROP TABLE persons; --",
]
# Forms rendered with a prefix on the live meeting page.
PREFIXES = ["", "action-", "situation-", "item-scheme-", "item-presentation-"]


def every_form_class(root):
    """The form classes of the application, found from their base class."""
    for cls in root.__subclasses__():
        yield cls
        yield from every_form_class(cls)


def field_names(prefixes=("",)):
    """Every field name any form of the application reads, with the given prefixes."""
    names = {"csrf_token", "key", "version", "direction", "choice", "next"}
    for cls in itertools.chain(every_form_class(BaseForm), every_form_class(FilterForm)):
        names |= {name for name in dir(cls) if isinstance(getattr(cls, name), UnboundField)}
    return sorted({prefix + name for prefix in prefixes for name in names})


FIELDS = field_names()
MEETING_FIELDS = field_names(PREFIXES)


@pytest.fixture
def world(app, organisation):
    """Accounts of every role, a person, a meeting and directory objects to aim at."""
    accounts = {
        role: factories.make_user(role=role, organisation=organisation)
        for role in (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
    }
    person = factories.make_person(accounts[Role.PROFESSIONAL])
    factories.make_consent(person, accounts[Role.PROFESSIONAL], [organisation])
    factories.make_note(person, accounts[Role.PROFESSIONAL], "Note sociale")
    objects = factories.make_directory_objects(organisation, accounts[Role.COORDINATOR])
    objects |= factories.make_meeting_objects(person, [organisation], accounts[Role.PROFESSIONAL])
    objects |= {
        "person": person.id,
        "consent": factories.make_consent(person, accounts[Role.PROFESSIONAL], []).id,
        "user": accounts[Role.PROFESSIONAL].id,
        "organisation": organisation.id,
        "import": objects["batch"],
        "number": objects["charter"],
        "part": "scheme",
    }
    return {"accounts": accounts, "objects": objects}


def value_for(argument, objects):
    """The real value of a URL argument in the world ("person_id" → the person's id)."""
    return objects.get(argument.removesuffix("_id"), 1)


def urls(rule, objects):
    """The rule's URL with real ids, then with each argument tampered in turn."""
    arguments = list(rule.arguments)
    real = {name: value_for(name, objects) for name in arguments}
    yield build(rule, real)
    for name in arguments:
        converter = rule._converters[name].__class__.__name__
        for bad in TAMPERED_IDS if converter == "IdConverter" else TAMPERED_WORDS:
            yield build(rule, real | {name: bad})


def build(rule, values):
    """Fill a rule's pattern by hand: url_for would refuse the tampered values."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def role_for(app, endpoint):
    """A role the route lets in, the most powerful first (the sweep aims past the door)."""
    from coordination.access import policy_for

    policy = policy_for(endpoint)
    for role in (Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN):
        if policy.anonymous or role in policy.roles:
            return role
    return Role.ADMIN


def hostile_forms(fields, token, keys):
    """Form bodies: every field one hostile value, in turn; the token stays valid."""
    for value in HOSTILE_VALUES:
        yield {name: value for name in fields} | {"csrf_token": token, **keys}


def rules(app):
    """The routes to sweep (static files are the reverse proxy's)."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def endpoints():
    """Every endpoint, for parametrize (built from a throwaway app's URL map)."""
    from coordination import create_app
    from tests.conftest import base_config

    return sorted({rule.endpoint for rule in rules(create_app(base_config("sqlite://")))})


def requests_for(rule, method, objects, token, keys):
    """(url, body, headers variants): the real URL with hostile bodies, page and fragment;
    then each tampered URL."""
    both, page = ({}, {"HX-Request": "true"}), ({},)
    fields = MEETING_FIELDS if rule.endpoint.startswith("meetings.") else FIELDS
    real, *tampered = urls(rule, objects)
    if method == "GET":
        query = {name: HOSTILE_VALUES[0] for name in fields}
        hostile = [(real, None, both), (real, query, both)]
        return hostile + [(url, None, page) for url in tampered]
    sound = {"csrf_token": token, **keys}
    hostile = [(real, body, both) for body in hostile_forms(fields, token, keys)]
    return hostile + [(url, sound, page) for url in tampered]


@pytest.mark.parametrize("endpoint", endpoints())
def test_no_route_answers_5xx_to_tampered_ids_or_hostile_forms(app, client, world, endpoint):
    sign_in(client, world["accounts"][role_for(app, endpoint)].email)
    token, keys = form_fields(client, "/account")
    failures = []
    for rule in (rule for rule in rules(app) if rule.endpoint == endpoint):
        for method in sorted(rule.methods & {"GET", "POST"}):
            for url, body, variants in requests_for(rule, method, world["objects"], token, keys):
                for headers in variants:
                    if method == "GET":
                        response = client.get(url, query_string=body, headers=headers)
                    else:
                        response = client.post(url, data=body, headers=headers)
                    if response.status_code >= 500:
                        failures.append((method, url[:120], response.status_code))
    assert failures == []


@pytest.fixture
def signed_in_professional(client, login_as):
    """The client, signed in as a professional (once for all of Hypothesis's examples)."""
    return login_as(Role.PROFESSIONAL)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    fields=st.fixed_dictionaries(
        {
            "first_name": st.text(max_size=120),
            "last_name": st.text(max_size=120),
            "birth_year": st.one_of(st.integers().map(str), st.text(max_size=30)),
            "contact": st.text(max_size=400),
            "goals": st.text(max_size=300),
            "referent": st.sampled_from(["me", "none", "", "x"]),
            "themes": st.text(max_size=40),
        }
    )
)
def test_any_new_person_form_gets_an_answer(client, signed_in_professional, fields):
    token, keys = form_fields(client, "/people/new")
    response = client.post("/people/new", data={"csrf_token": token, **keys, **fields})
    assert response.status_code in {303, 422}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    fields=st.fixed_dictionaries(
        {
            "category": st.one_of(st.sampled_from(["social", "health", "justice"]), st.text()),
            "text": st.text(max_size=6000),
            "key": st.text(max_size=80),
        }
    )
)
def test_any_journal_note_gets_an_answer(client, signed_in_professional, fields):
    person = factories.make_person(signed_in_professional)
    token, _keys = form_fields(client, f"/people/{person.id}")
    response = client.post(f"/people/{person.id}/notes", data={"csrf_token": token, **fields})
    assert response.status_code in {303, 422}
