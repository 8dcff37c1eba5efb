; Inno Setup 6 script: Windows installer for Autopilot Bench Scanner.
;
; Build (after `uv run --group packaging python packaging/build.py`, from the repository root):
;   iscc /DAppVersion=0.1.0 packaging\windows\installer.iss
; Signed build (signs setup.exe and the uninstaller; sign the bundle's .exe files first, see
; packaging/README.md):
;   iscc /DAppVersion=0.1.0 /DSign "/Ssigntool=signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f" packaging\windows\installer.iss
; Output: packaging\dist\autopilot-bench-scanner-<version>-setup.exe
;
; Install modes: per-user by default (no UAC prompt, %LOCALAPPDATA%\Programs); per-machine with
; /ALLUSERS or the dialog's "Install for all users" (Program Files, needs admin).
;
; Silent install for Intune (Win32 app, install behaviour "System"):
;   autopilot-bench-scanner-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS /PRESET=config.toml /LOG="%ProgramData%\autopilot-bench-scanner\install.log"
; Uninstall command:
;   "%ProgramFiles%\Autopilot Bench Scanner\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Detection rule (either):
;   registry  HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{6F1C2B7E-3A5D-4E8F-9B21-7C4D5A6E8F90}_is1
;             value DisplayVersion, String comparison "Equals" <version>
;   file      %ProgramFiles%\Autopilot Bench Scanner\scanner-app.exe, File version >= <version>
; /PRESET=FILE copies an admin preset (docs/admin-presets.md) to
;   %ProgramData%\autopilot-bench-scanner\config.toml        per-machine install (replaced)
;   %LOCALAPPDATA%\autopilot-bench-scanner\config.toml       per-user install (only if none yet)
; A relative FILE is taken from the folder setup.exe runs in (the Intune package content).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Autopilot Bench Scanner"
#define AppId "autopilot-bench-scanner"
#define ExeName "scanner-app.exe"
#define Bundle "..\dist\scanner-app"

[Setup]
; The AppId ties upgrades and the uninstall entry together: never change it.
AppId={{6F1C2B7E-3A5D-4E8F-9B21-7C4D5A6E8F90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; the user (dialog) or the deployment (/ALLUSERS) can choose per-machine.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename={#AppId}-{#AppVersion}-setup
SetupIconFile=..\..\resources\app.ico
UninstallDisplayIcon={app}\{#ExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
#ifdef Sign
; The sign tool is defined on the iscc command line (/Ssigntool=...): see the header.
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\config.toml.example"; DestDir: "{app}"; Flags: ignoreversion
; The admin preset given with /PRESET=FILE (external: read at install time, not compiled in).
Source: "{code:PresetFile}"; DestDir: "{commonappdata}\{#AppId}"; DestName: "config.toml"; Flags: external ignoreversion uninsneveruninstall; Check: HasPreset and IsAdminInstallMode
Source: "{code:PresetFile}"; DestDir: "{localappdata}\{#AppId}"; DestName: "config.toml"; Flags: external onlyifdoesntexist uninsneveruninstall; Check: HasPreset and not IsAdminInstallMode

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#ExeName}"
Name: "{autoprograms}\{#AppName} (training mode)"; Filename: "{app}\{#ExeName}"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#ExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#ExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function PresetParam(): String;
begin
  Result := ExpandConstant('{param:PRESET|}');
end;

function HasPreset(): Boolean;
begin
  Result := PresetParam() <> '';
end;

{ The preset's full path: a relative name is looked up beside setup.exe. }
function PresetFile(Param: String): String;
begin
  Result := PresetParam();
  if (Result <> '') and (ExtractFileDrive(Result) = '') then
    Result := AddBackslash(ExpandConstant('{src}')) + Result;
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  if HasPreset() and not FileExists(PresetFile('')) then
  begin
    SuppressibleMsgBox('The preset file was not found: ' + PresetFile(''), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
