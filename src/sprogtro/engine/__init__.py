"""sprogtro.engine stage."""
