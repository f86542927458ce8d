"""Views of the transition area, one module per screen family (thin: parse, call, render)."""
