"""``python -m hallbardocs``: the same as the ``hallbardocs`` command."""

import sys

from hallbardocs.cli import main

sys.exit(main())
