#!/usr/bin/env bash
# ctest DockerQuickstart.ReferenceBackend: runs scripts/quickstart
# --reference-backend on the binaries already built in BUILD_DIR (no apt, no
# build). Without a reachable Docker engine it is skipped (exit 77), or fails
# when TAO_REQUIRE_DOCKER=1; it never starts a private dockerd itself.
set -euo pipefail
repo="${TAO_SOURCE_DIR:?TAO_SOURCE_DIR must name the repository}"
: "${BUILD_DIR:?BUILD_DIR must name the build folder}"

answers() {
  case "$1" in
    unix://*) curl -sf --max-time 5 --unix-socket "${1#unix://}" http://localhost/_ping ;;
    tcp://*) curl -sf --max-time 5 "http://${1#tcp://}/_ping" ;;
    *) false ;;
  esac >/dev/null 2>&1
}

candidates=("${DOCKER_HOST:-}")
[ -n "${DOCKER_HOST:-}" ] ||
  candidates=(unix:///tmp/tao-docker/docker.sock unix:///var/run/docker.sock)
found=""
for host in "${candidates[@]}"; do
  if answers "$host"; then found="$host"; break; fi
done
if [ -z "$found" ]; then
  echo "no Docker engine answers at ${candidates[*]}; start one with:" \
    'eval "$(scripts/docker-up)"'
  if [ -n "${TAO_REQUIRE_DOCKER:-}" ] && [ "${TAO_REQUIRE_DOCKER}" != 0 ]; then
    echo "TAO_REQUIRE_DOCKER is set, so this is a failure"
    exit 1
  fi
  exit 77
fi
export DOCKER_HOST="$found"
exec "$repo/scripts/quickstart" --reference-backend --no-setup --no-build
