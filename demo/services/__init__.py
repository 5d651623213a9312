"""The steps of `seed_demo`, one kind of thing per module. Each `ensure_*` finds its object by a
natural key and creates it only when missing, noting what it did on the run (run.py)."""

from demo.services.run import SeedRun
from demo.services.seed import seed

__all__ = ["SeedRun", "seed"]
