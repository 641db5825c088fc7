"""sprogtro.privacy stage."""
