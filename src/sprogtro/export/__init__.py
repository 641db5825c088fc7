"""sprogtro.export stage."""
