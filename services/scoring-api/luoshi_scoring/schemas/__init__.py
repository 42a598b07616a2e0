"""Request and response models of scoring-api, by area."""
