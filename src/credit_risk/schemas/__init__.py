"""pandera schemas, one module per layer."""
