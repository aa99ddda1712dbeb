"""The pure engines of projects: the domain computation on plain Python data, no Django.

`lifecycle` (stages and moves), `prereview` (项目预审 rules and score), `deadlines` (post-signing time
limits), `promises` (what was promised at signing and kept), `cohorts` (批次开工要求), `alerts` (when a
project needs attention), `metrics` (unit figures); their exceptions are in `errors`.
"""
