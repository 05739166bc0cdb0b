"""Kedro pipelines, discovered by ``find_pipelines``."""
