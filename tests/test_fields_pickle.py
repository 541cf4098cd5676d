"""Fields are pickled with the environment on every build: cheaply, and back to equal fields."""

from __future__ import annotations

import pickle
from dataclasses import fields

from sphinxext_callbacks.model.fields import Field


def test_fields_pickle_through_their_constructor() -> None:
    # The environment pickles every field on every build: not through dataclasses'
    # per-object __getstate__, which looks up fields() each time.
    field = Field(
        ("data", "when"), "When", format="date", enum=("a", None), example=None, deprecated="Old"
    )
    assert field.__reduce__() == (Field, tuple(getattr(field, f.name) for f in fields(Field)))
    for value in (field, Field(("id",))):
        again = pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        assert again == value
        assert again.example is value.example  # MISSING stays the one sentinel
