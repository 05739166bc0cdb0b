"""Feature code shared by training (data_processing) and scoring (inference)."""
