"""A seeded, vectorised generator of a consumer-loan business's raw tables."""

from credit_risk.demo_data.generator import DemoData, generate
from credit_risk.demo_data.params import BiasParams, DemoDataParams, InjectedDriftParams

__all__ = ["BiasParams", "DemoData", "DemoDataParams", "InjectedDriftParams", "generate"]
