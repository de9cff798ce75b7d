"""Run the command line: ``python -m corridor``."""

from corridor.cli import main

if __name__ == "__main__":
    main()
