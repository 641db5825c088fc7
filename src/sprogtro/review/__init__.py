"""sprogtro.review: the learning-group stage.

- :mod:`~sprogtro.review.app`: the local review web app (Flask, in the ``review`` extra);
- :mod:`~sprogtro.review.items`: flagged sentences as review items, with context and explanations;
- :mod:`~sprogtro.review.sets`: discussion sets (stratified, seeded, optionally least-certain first);
- :mod:`~sprogtro.review.booklet`: the printable workshop booklet (HTML, PDF when a converter exists);
- :mod:`~sprogtro.review.source`: the only door to the project store (sentences, codebook, reviews).

Importing this package imports neither Flask nor the store.
"""
