#!/usr/bin/env bash
# Prints a token for one of the users ./run.sh made, read from .run/credentials (or $ELB_CREDENTIALS; needs jq):
#   TOKEN=$(scripts/token.sh demo my-project)   # my-project's elb_admin, scoped to it
#   TOKEN=$(scripts/token.sh admin)             # the system admin
set -euo pipefail
credentials=${ELB_CREDENTIALS:-$(dirname "$0")/../.run/credentials}
user=${1:-demo}
project=${2:-}
gateway=$(jq -r .gateway "$credentials")
password=$(jq -r --arg user "$user" '[.system_admin, .projects[]] | map(select(.user == $user)) | .[0].password // empty' "$credentials")
[ -n "$password" ] || { echo "token.sh: no password for '$user' in $credentials" >&2; exit 2; }
body=$(jq -n --arg user "$user" --arg password "$password" --arg project "$project" '{auth: ({identity: {methods: ["password"],
  password: {user: {name: $user, password: $password}}}} + (if $project == "" then {} else {scope: {project: {id: $project}}} end))}')
curl -sfi -X POST "$gateway/v3/auth/tokens" -H 'Content-Type: application/json' -d "$body" \
  | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p'
