"""Project pages by sub-domain: projects, moves, records added from the page, rules, figures, sheets."""
