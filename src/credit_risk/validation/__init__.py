"""Row-level quarantine and structural checks shared by every pipeline that reads raw data."""

from credit_risk.params import SourceSpec
from credit_risk.validation.errors import (
    DataContractError,
    ValidationDisabledError,
    require_validation,
)
from credit_risk.validation.quarantine import (
    QUARANTINE_COLUMNS,
    ValidationOutcome,
    quarantine_rows,
    validate_table,
)
from credit_risk.validation.sources import (
    refuse_known_ids,
    split_orphans,
    validate_contract_batch,
    validate_source,
)

__all__ = [
    "QUARANTINE_COLUMNS",
    "DataContractError",
    "SourceSpec",
    "ValidationDisabledError",
    "ValidationOutcome",
    "quarantine_rows",
    "refuse_known_ids",
    "require_validation",
    "split_orphans",
    "validate_contract_batch",
    "validate_source",
    "validate_table",
]
