"""Netac service-station workbench: the warranty claim flow at the counter."""

__version__ = "0.1.0"
