#!/usr/bin/env bash
# Create the Entra ID app registration Autopilot Bench Scanner signs in with (see
# docs/app-registration.md for what each step is and why).
#
#   az login --tenant <tenant>          # as an admin who may grant consent
#   docs/create-app-registration.sh [--read-only] [--broker] [--name "Autopilot Bench Scanner"]
#
# National clouds: run `az cloud set --name AzureUSGovernment` (or AzureChinaCloud) first.
# Safe to re-run: an existing registration with the same name is reused and brought up to date.
set -euo pipefail

NAME="Autopilot Bench Scanner"
READ_ONLY=0
BROKER=0
while [ $# -gt 0 ]; do
  case "$1" in
    --read-only) READ_ONLY=1 ;;
    --broker) BROKER=1 ;;
    --name) NAME="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"  # Microsoft Graph, the same in every cloud
if [ "$READ_ONLY" = 1 ]; then
  SCOPES=("DeviceManagementServiceConfig.Read.All" "User.ReadBasic.All")
else
  SCOPES=("DeviceManagementServiceConfig.ReadWrite.All" "User.ReadBasic.All")
fi

TENANT_ID=$(az account show --query tenantId -o tsv)
echo "Tenant: $TENANT_ID"

# 1. The registration: single tenant, public client, loopback redirect, public client flows on.
APP_ID=$(az ad app list --display-name "$NAME" --query "[0].appId" -o tsv)
if [ -z "$APP_ID" ]; then
  APP_ID=$(az ad app create \
    --display-name "$NAME" \
    --sign-in-audience AzureADMyOrg \
    --is-fallback-public-client true \
    --public-client-redirect-uris "http://localhost" \
    --query appId -o tsv)
  echo "Created app registration $APP_ID"
else
  echo "Reusing app registration $APP_ID"
fi
REDIRECTS=("http://localhost")
if [ "$BROKER" = 1 ]; then
  REDIRECTS+=("ms-appx-web://Microsoft.AAD.BrokerPlugin/$APP_ID")  # Windows broker (WAM)
fi
az ad app update --id "$APP_ID" \
  --is-fallback-public-client true \
  --public-client-redirect-uris "${REDIRECTS[@]}"

# 2. Delegated Graph permissions, looked up by name (the ids are not typed by hand).
for scope in "${SCOPES[@]}"; do
  SCOPE_ID=$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "oauth2PermissionScopes[?value=='$scope'].id | [0]" -o tsv)
  if [ -z "$SCOPE_ID" ]; then
    echo "Microsoft Graph has no delegated permission named $scope in this cloud" >&2
    exit 1
  fi
  az ad app permission add --id "$APP_ID" --api "$GRAPH_APP_ID" \
    --api-permissions "$SCOPE_ID=Scope" --only-show-errors
  echo "Requested delegated permission $scope"
done

# 3. The enterprise application (service principal) in this tenant, then admin consent.
if [ -z "$(az ad sp list --filter "appId eq '$APP_ID'" --query "[0].id" -o tsv)" ]; then
  az ad sp create --id "$APP_ID" --only-show-errors >/dev/null
fi
if ! az ad app permission admin-consent --id "$APP_ID"; then
  echo "Admin consent was not granted (it needs an admin role). Ask an admin to open" >&2
  echo "  Entra ID > App registrations > $NAME > API permissions > Grant admin consent" >&2
fi

cat <<EOF

Done. Give the app these settings (config.toml, SCANNER_APP_* variables or flags):
  tenant = "$TENANT_ID"
  client_id = "$APP_ID"
$( [ "$READ_ONLY" = 1 ] && echo '  read_only = true' )
$( [ "$BROKER" = 1 ] && echo '  use_broker = true' )
Then: scanner-app sign-in   (or: scanner-app sign-in --device-code)
EOF
