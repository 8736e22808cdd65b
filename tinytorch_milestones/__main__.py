"""`python -m tinytorch_milestones`: the command line."""

import sys

from .frontends.cli import main

sys.exit(main())
