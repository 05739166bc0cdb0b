"""Model validation: metrics with intervals, calibration, fairness, drift, business value."""
