"""Portal configs: one TOML file per site, loaded and validated by :mod:`portals.loader`."""

from portals.loader import (
    Portal,
    PortalError,
    available_portals,
    load_configured_portal,
    load_portal,
)

__all__ = ["Portal", "PortalError", "available_portals", "load_configured_portal", "load_portal"]
