"""Portal configs: one TOML file per site, loaded and validated by :mod:`portals.loader`."""

from portals.loader import (
    GENERIC_PORTAL,
    Portal,
    PortalError,
    available_portals,
    load_configured_portal,
    load_portal,
)

__all__ = ["GENERIC_PORTAL", "Portal", "PortalError", "available_portals", "load_configured_portal", "load_portal"]
