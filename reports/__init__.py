"""The "Zoom-Marché" digest: what a subscription profile reads for a period.

`reports.digest` is the public entry point (build, render, write); the other
modules each do one job (period, French wording, untrusted text, event rule).
"""
