"""Item pipelines, one module per stage: noise → script → meta → dates → dedupe → validate."""
