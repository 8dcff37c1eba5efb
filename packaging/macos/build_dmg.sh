#!/usr/bin/env bash
# Make a .dmg from the PyInstaller .app, signing and notarising it when credentials are given.
#
#   bash packaging/macos/build_dmg.sh            (after packaging/build.py built the .app)
#
# Environment (all optional; without them the .dmg is unsigned, fine for testing only):
#   MACOS_CODESIGN_IDENTITY  "Developer ID Application: Contoso Ltd (TEAMID1234)". Also set it
#                            for build.py: the spec then signs every binary in the bundle.
#   NOTARY_PROFILE           a keychain profile made once with
#                            `xcrun notarytool store-credentials NAME --apple-id ... --team-id ...`
#   or APPLE_ID + APPLE_TEAM_ID + APPLE_APP_PASSWORD (an app-specific password), e.g. in CI.
# Output: packaging/dist/autopilot-bench-scanner-<version>.dmg
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
packaging="$(dirname "$here")"
repo="$(dirname "$packaging")"
app_name="Autopilot Bench Scanner"
app="$packaging/dist/$app_name.app"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$repo/scanner_app/__init__.py")"
dmg="$packaging/dist/autopilot-bench-scanner-$version.dmg"
identity="${MACOS_CODESIGN_IDENTITY:-}"

[ -d "$app" ] || { echo "no $app: run packaging/build.py first" >&2; exit 1; }

# Info.plist must carry the camera usage text, or macOS kills the app when it opens the camera.
/usr/libexec/PlistBuddy -c "Print :NSCameraUsageDescription" "$app/Contents/Info.plist" >/dev/null

if [ -n "$identity" ]; then
  echo "signing $app as $identity"
  codesign --force --options runtime --timestamp \
    --entitlements "$here/entitlements.plist" --sign "$identity" "$app"
  codesign --verify --deep --strict --verbose=2 "$app"
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"   # drag-to-install
rm -f "$dmg"
hdiutil create -volname "$app_name" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "$identity" ]; then
  codesign --force --timestamp --sign "$identity" "$dmg"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
  elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
  else
    echo "not notarised: set NOTARY_PROFILE or APPLE_ID/APPLE_TEAM_ID/APPLE_APP_PASSWORD" >&2
  fi
  if [ -n "${NOTARY_PROFILE:-}${APPLE_ID:-}" ]; then
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
  fi
fi
echo "built $dmg ($(du -h "$dmg" | cut -f1))"
