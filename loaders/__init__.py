"""Input adapters: read manifest files (canonical or mapped layouts) into a ``GraphStore``.

``graphintel`` never imports this package; the CLI wires it in.
"""

from loaders.load import load_file
from loaders.mapping import Mapping, canonical_mapping, read_mapping

__all__ = ["Mapping", "canonical_mapping", "load_file", "read_mapping"]
