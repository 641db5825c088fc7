"""sprogtro.review stage."""
