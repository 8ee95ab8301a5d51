"""`python -m gateway.cli` runs `dlp-gateway`."""

import sys

from gateway.cli.main import main

sys.exit(main())
