"""Automatic triage: owner messages → TAXONOMY labels (request type, category, urgency, sentiment, sensitivity)."""
