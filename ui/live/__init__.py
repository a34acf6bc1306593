"""The live console: timer, tiles, latest, the live insights panel."""
