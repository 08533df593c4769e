#!/usr/bin/env bash
# Executes every notebook in notebooks/ (what CI runs): installs the Python packages they need when
# missing, builds the release `fluxion` program they call, and fails if any cell fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import numpy, matplotlib, nbclient, nbformat, ipykernel" 2>/dev/null; then
    python3 -m pip install -q numpy matplotlib nbclient nbformat ipykernel
fi
swift build -c release --product fluxion >/dev/null
export FLUXION="$PWD/.build/release/fluxion"
export FLUXION_NOTEBOOK_DIR="$PWD/.build/notebooks"
mkdir -p "$FLUXION_NOTEBOOK_DIR"
for notebook in notebooks/*.ipynb; do
    echo "running $notebook"
    python3 - "$notebook" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": "notebooks"}}).execute()
out = "{}/{}".format(__import__("os").environ["FLUXION_NOTEBOOK_DIR"], path.split("/")[-1])
nbformat.write(nb, out)
print("executed:", out)
PY
done
