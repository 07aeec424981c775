#!/usr/bin/env bash
# The project's test command: starts the test services (scripts/services.sh)
# and runs the whole Maven build with its tests.
#
# Usage: scripts/test.sh [extra maven args]    e.g. scripts/test.sh -pl core -am
# Exit code: Maven's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v mvn >/dev/null; then
    echo "test.sh: installing maven" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends maven >/dev/null
fi

bash scripts/services.sh up
eval "$(bash scripts/services.sh env)"

exec mvn -B -ntp verify "$@"
