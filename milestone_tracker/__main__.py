"""`python -m milestone_tracker complete 00_setup | progress | list`, as API.md's "Testing the API"."""

import sys

from tinytorch_milestones.frontends.cli import main

sys.exit(main())
