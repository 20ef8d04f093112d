"""The benchmarks are programs (``make bench``), not tests: keep pytest's
``--doctest-modules`` from importing them (they need the ``bench`` extra)."""

collect_ignore_glob = ["*.py"]
