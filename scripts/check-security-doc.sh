#!/usr/bin/env bash
# check-security-doc.sh: every test docs/SECURITY.md names exists. `file.rs::name` must be a
# test function (or a crash.rs macro entry) of that name in that file; `file.test.mjs` N a
# scenario numbered N in that file. `core/` stands for src-tauri/crates/core/. The tests
# themselves run in scripts/test.sh; this keeps the table from naming tests that are gone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

doc=docs/SECURITY.md
missing=0
checked=0
path_of() {
    case $1 in
    core/*) echo "src-tauri/crates/$1" ;;
    *) echo "$1" ;;
    esac
}
while read -r ref; do
    file=$(path_of "${ref%%::*}")
    name=${ref##*::}
    checked=$((checked + 1))
    if [[ ! -f $file ]] || ! grep -Eq "fn ${name}\(|^[[:space:]]*${name}:" "$file"; then
        echo "docs/SECURITY.md names $ref, which is not in $file" >&2
        missing=$((missing + 1))
    fi
done < <(grep -oE '[A-Za-z0-9_./-]+\.rs::[a-z0-9_]+' "$doc" | sort -u)
while read -r ref; do
    file=${ref%% *}
    number=${ref##* }
    checked=$((checked + 1))
    if [[ ! -f $file ]] || ! grep -q "scenario('${number}\. " "$file"; then
        echo "docs/SECURITY.md names scenario $number of $file, which is not there" >&2
        missing=$((missing + 1))
    fi
done < <(grep -oE 'tests/e2e/[a-z-]+\.test\.mjs` [A-Z]?[0-9]+' "$doc" | tr -d '`' | sort -u)
((missing == 0)) || exit 1
echo "docs/SECURITY.md: all $checked tests it names exist"
