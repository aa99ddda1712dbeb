"""The API edges every app shares: the refusal shape, documented statuses, strict request bodies."""
