"""Every write of interventions, legal action and partnership (one module each)."""
