"""The notebook executor: the Python half of the runner (tools/runner/run.ts starts it).

    .venv/bin/python tools/runner/executor --events-fd 3 < jobs

One module per job: protocol (jobs in, events out), execute (nbclient on a fresh kernel),
normalize (deterministic files, written atomically), images (static chart images), diff (what
`--check` shows), messages (how failures read).
"""

import sys

# nbformat imports jsonschema, which imports rfc3987_syntax when it is installed (Jupyter's packages
# pull it in) to check the "iri" string format, and that module builds its parser on import: about
# 1.7 s of every executor start, before the first notebook. Notebook validation checks no string
# formats, so the executor goes without it (None in sys.modules makes that import fail at once,
# and jsonschema then leaves the "iri" check out).
sys.modules.setdefault("rfc3987_syntax", None)

from protocol import main  # noqa: E402 (after the line above, on purpose)

sys.exit(main())
