"""Request and response models of notify, by area."""
