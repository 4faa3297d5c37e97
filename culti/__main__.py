import sys

from culti.cli import main

sys.exit(main())
