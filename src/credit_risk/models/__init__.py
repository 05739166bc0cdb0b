"""Candidate models: fitting, JSON/text specifications and prediction without pickle."""
