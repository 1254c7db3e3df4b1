#!/usr/bin/env bash
# Fails when a C++ file of the repository differs from what clang-format (the repo's
# .clang-format) makes of it; prints the files. Fix with:
#   clang-format -i $(git ls-files 'exporter/*.[ch]pp' 'tests/*.[ch]pp')
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'exporter/*.cpp' 'exporter/*.hpp' 'tests/*.cpp' 'tests/*.hpp')
bad=()
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} file(s) not formatted with .clang-format:"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
