"""The notebook executor: the Python half of the runner (scripts/runner/run.ts starts it).

    .venv/bin/python scripts/runner/executor --events-fd 3 < jobs

One module per job: protocol (jobs in, events out), execute (nbclient on a fresh kernel),
normalize (deterministic files, written atomically), images (static chart images), diff (what
`--check` shows), messages (how failures read).
"""

import sys

from protocol import main

sys.exit(main())
