"""The chains as spreadsheets: template, import, export of chains, their nodes, the enterprises and
projects placed on the nodes, and the target companies.

Rooms: `common` (naming a chain, a node, a leader in a cell; units; audit events), `chains`, `nodes`,
`placements`, `targets`. Registered from `ChainsConfig.ready`.
"""

from zhaoshang.chains.sheets.chains import CHAIN_SHEET, ChainImporter
from zhaoshang.chains.sheets.nodes import NODE_SHEET, NodeImporter
from zhaoshang.chains.sheets.placements import PLACEMENT_SHEET, PlacementImporter
from zhaoshang.chains.sheets.targets import TARGET_SHEET, TargetImporter
from zhaoshang.core import imports

imports.register(ChainImporter())
imports.register(NodeImporter())
imports.register(PlacementImporter())
imports.register(TargetImporter())

__all__ = [
    "CHAIN_SHEET",
    "NODE_SHEET",
    "PLACEMENT_SHEET",
    "TARGET_SHEET",
    "ChainImporter",
    "NodeImporter",
    "PlacementImporter",
    "TargetImporter",
]
