"""Reads that pages need: one module per area. Views and services call these; forms and
template tags receive their results and never query."""
