"""``python -m piikit ...`` works like the ``piikit`` command."""

from piikit.cli import main

if __name__ == "__main__":
    main()
