"""credit-risk: loan default risk carried through the whole MLOps loop with Kedro."""

__version__ = "0.1.0"
