"""The canonical values of the demo sources' categorical columns.

The raw schemas check against these, and the demo generator draws from them: the
generator depends on the schemas' vocabulary, never the other way round.
"""

from __future__ import annotations

GENDERS = ("F", "M")
REGIONS = ("north", "south", "east", "west", "central")
EMPLOYMENT_TYPES = ("employed", "self_employed", "unemployed", "retired", "student")
HOME_OWNERSHIP = ("own", "mortgage", "rent", "other")
PURPOSES = ("car", "home_improvement", "debt_consolidation", "education", "medical", "other")
CHANNELS = ("branch", "online", "broker", "mobile")
TERMS = (12, 24, 36, 48, 60)
