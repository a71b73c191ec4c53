"""panelkey: a Plesk-compatible API server built around Plesk's secret keys."""

__version__ = "0.1.0"
