#!/bin/sh
# The command JupyterHub's LocalProcessSpawner runs for each student, as that student:
# refresh the workspace (copy newly published notebooks, never overwrite the student's files,
# link the shared library), then start the student's single-user Jupyter server.
set -eu
"${TSDL_NODE:-node}" "$TSDL_ROOT/dist/scripts/hub/workspace.js"
exec jupyterhub-singleuser "$@"
