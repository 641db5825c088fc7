"""sprogtro.store stage."""
