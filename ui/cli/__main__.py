"""``python -m ui.cli``: the ``rma-station`` command without the installed entry point."""

import sys

from ui.cli import main

sys.exit(main())
