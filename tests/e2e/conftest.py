"""The browser and the portal server of test_main_flow, for every browser test module."""

from .test_main_flow import browser, portal  # noqa: F401 - fixtures shared by the modules here
