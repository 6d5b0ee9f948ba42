"""The error of a REPLAY that cannot be read, shared by every kind of archive."""


class ReplayError(ValueError):
    """A REPLAY path holds no archive, or a malformed one. Never a reason to go live
    instead: a typo there must not send a test crawl to the sites."""
