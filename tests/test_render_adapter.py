"""The docxtpl adapter: the hooks we override must still be docxtpl's, with the parameters docxtpl
gives them. An upgrade of docxtpl that renames or reshapes one fails here, loudly, rather than
silently rendering through docxtpl's own code again."""

from __future__ import annotations

import inspect

import docxtpl
import pytest

from hallbardocs.render.adapter import HOOKS, template_class


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_each_overridden_hook_is_one_of_docxtpls_with_the_same_parameters(hook: str) -> None:
    original = getattr(docxtpl.DocxTemplate, hook, None)

    assert original is not None, f"docxtpl no longer has {hook}(): check hallbardocs/render/adapter.py"
    assert tuple(inspect.signature(original).parameters) == HOOKS[hook]


def test_the_adapter_overrides_exactly_the_hooks_it_lists() -> None:
    ours = template_class()
    overridden = {
        name
        for name, value in vars(ours).items()
        if callable(value) and hasattr(docxtpl.DocxTemplate, name) and not name.startswith("__")
    }

    assert overridden == set(HOOKS)


def test_the_adapter_is_made_for_the_docxtpl_release_it_was_checked_with() -> None:
    from importlib.metadata import version

    assert version("docxtpl").startswith("0.20."), "a new docxtpl: read its changelog against render/adapter.py"
