"""sprogtro: how Danish caseworkers write and speak about citizens.

Data flows one way: corpus → privacy → store → nlp → analysis/review → export.
Importing the package is cheap: spaCy and the heavy stages load only when used.
"""

__version__ = "0.1.0"
