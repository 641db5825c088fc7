"""sprogtro.analysis stage."""
