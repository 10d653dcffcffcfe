"""The examples table of shared/triage/TAXONOMY.md, through the committed model and the rules."""

from __future__ import annotations

import pytest

from guanjia.triage.corpus.templates import TAXONOMY_EXAMPLES
from guanjia.triage.services import triage_text


@pytest.mark.parametrize(("text", "request_type", "category", "urgency", "sentiment", "sensitive"), TAXONOMY_EXAMPLES)
def test_taxonomy_example_is_classified_as_the_table_says(text, request_type, category, urgency, sentiment, sensitive):
    result = triage_text(text)
    assert (result.request_type, result.urgency, result.sensitive) == (request_type, urgency, sensitive)
    assert result.category == category
    assert result.sentiment == sentiment


def test_taxonomy_examples_are_held_out_never_trained_on():
    from guanjia.triage.model import HELDOUT_FILE, TRAIN_FILE, read_examples

    examples = {row[0] for row in TAXONOMY_EXAMPLES}
    assert examples <= {e.text for e in read_examples(HELDOUT_FILE)}
    assert not examples & {e.text for e in read_examples(TRAIN_FILE)}


def test_empty_message_has_no_request_type():
    result = triage_text("   ")
    assert result.request_type is None and result.category is None and result.needs_review
