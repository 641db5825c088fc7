"""sprogtro.nlp stage."""
