"""The synthetic generator: language packs (data, ``packs/``), value generators and rows."""
