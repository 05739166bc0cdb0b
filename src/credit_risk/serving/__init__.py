"""Serving: the scoring model as a verified bundle, and its MLflow pyfunc wrapper."""
