"""An inline entry's ``:example:`` must be a value its own ``:type:``, enum and format allow."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import build_project, warnings_of

pytestmark = pytest.mark.sphinx

PAGE = """T
=

.. callback-table:: inl

   count : integer
      :example: "abc"

      How many.
   state
      :enum: a, b
      :example: c

      The state.
   when : date-time
      :example: yesterday

      When.
   ok
      :type: integer
      :example: 3

      Fine.
"""


def test_an_example_its_field_does_not_allow_is_a_located_warning(tmp_path: Path) -> None:
    warnings = warnings_of(build_project(tmp_path, {"index.rst": PAGE}))
    assert len(warnings) == 3, warnings
    count, state, when = warnings
    assert "index.rst:6:" in count and "'abc' is not of type 'integer'" in count
    assert "index.rst:10:" in state and "'c' is not one of ['a', 'b']" in state
    assert "index.rst:15:" in when and "is not a 'date-time'" in when
    assert all(w.endswith("[callbacks.field]") for w in warnings)
