"""Sizes of the demo window that must be known before Kivy creates it."""

PANEL_WIDTH = 300
