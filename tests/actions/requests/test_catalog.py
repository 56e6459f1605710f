"""The service catalog, the domain and the action server agree on every form and task.

A slot added to a form in one place and not the other would leave a question that
is never asked, or a value that never reaches the work order.
"""

from __future__ import annotations

import pickle

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from actions.requests.catalog import FORMS, TASKS
from actions.requests.questions import ASK_ACTIONS
from tests.actions.support import REPO_ROOT

SERVICE = yaml.safe_load((REPO_ROOT / "bot" / "domain" / "service.yml").read_text(encoding="utf-8"))
INTENTS = REPO_ROOT.parent / "shared" / "spec" / "intents.yml"


def _registered() -> set[str]:
    """The actions the action server serves, registered the way `python -m rasa_sdk` does."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def test_domain_forms_are_the_catalog_forms() -> None:
    domain_forms = {name: spec["required_slots"] for name, spec in SERVICE["forms"].items()}
    assert domain_forms == {name: list(form.slots) for name, form in FORMS.items()}


def test_every_question_of_every_form_exists() -> None:
    listed, registered = set(SERVICE["actions"]), _registered()
    for form in FORMS.values():
        for slot in form.slots:
            asks = {f"action_ask_{form.name}_{slot}", f"action_ask_{slot}"} & listed
            assert asks, f"{form.name} cannot ask for {slot}"
            assert asks <= registered


def test_every_form_has_its_validation_action() -> None:
    registered = _registered()
    for form in FORMS:
        assert f"validate_{form}" in SERVICE["actions"]
        assert f"validate_{form}" in registered


def test_every_task_is_a_catalogued_intent_and_a_service_task_value() -> None:
    if not INTENTS.is_file():
        pytest.skip("../shared/spec is not present next to this clone")
    intents = yaml.safe_load(INTENTS.read_text(encoding="utf-8"))["intents"]
    assert set(TASKS) <= set(intents)
    assert set(SERVICE["slots"]["service_task"]["values"]) == set(TASKS)


def test_every_action_the_domain_lists_is_served() -> None:
    assert set(SERVICE["actions"]) <= _registered()


def test_every_finisher_and_target_is_in_the_domain() -> None:
    names = set(SERVICE["actions"]) | set(SERVICE["forms"])
    for task in TASKS.values():
        assert task.target in names
        assert task.finisher is None or task.finisher in names


def test_the_server_s_worker_processes_can_load_every_question() -> None:
    for action in ASK_ACTIONS:  # Sanic pickles the registered actions for its workers
        assert pickle.loads(pickle.dumps(action)) is action


def test_every_guide_is_a_document_of_the_knowledge_base() -> None:
    documents = {p.stem for p in (REPO_ROOT / "knowledge_base" / "documents").glob("*.md")}
    for task in TASKS.values():
        assert set(task.guides) <= documents, task.intent
