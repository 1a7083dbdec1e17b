; Inno Setup 6 script: a Windows installer over the PyInstaller bundle that packaging/callshield.spec makes.
; Built on Windows only (not tested on the Linux build machine); see packaging/windows/README.md. From the checkout:
;
;   bash packaging/build.sh          (in Git Bash: makes packaging\dist\callshield\ and packaging\build\icons\)
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 /DFlavour=cpu packaging\windows\callshield.iss
;
; Output: packaging\dist\callshield-<version>-windows-x86_64-<flavour>-setup.exe
; The installer needs no administrator rights (it installs for the current user) unless the user chooses
; "all users"; it adds Start menu entries, an optional desktop icon, and an uninstaller.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Flavour
  #define Flavour "cpu"
#endif
#define AppName "CallShield"
#define Bundle "..\dist\callshield"

[Setup]
AppId={{6B0E7D2A-3C1F-4E58-9B7A-CA11511E1D00}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CallShield
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=callshield-{#AppVersion}-windows-x86_64-{#Flavour}-setup
SetupIconFile=..\build\icons\callshield.ico
UninstallDisplayIcon={app}\callshield.exe
UninstallDisplayName={#AppName}
Compression=lzma2/normal
SolidCompression=yes
; The CUDA flavour is several GB: split it into setup.exe + setup-N.bin files, shipped together.
#if Flavour == "cuda"
DiskSpanning=yes
DiskSliceSize=max
#endif
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole onedir bundle: callshield.exe (the app, no console window), callshield-cli.exe (for `scan` and the
; other commands in a terminal) and _internal\ (Python, torch, Qt, our model and the demo clips).
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the bundle wholesale: files an older version had must not linger among the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\callshield.exe"; WorkingDir: "{app}"
Name: "{group}\{#AppName} demo"; Filename: "{app}\callshield.exe"; Parameters: "--demo"; WorkingDir: "{app}"; \
  Comment: "Plays the bundled demo clip and watches it"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\callshield.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\callshield.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Settings (registry, HKCU\Software\CallShield) and the decisions log (%APPDATA%\CallShield) are the user's:
; the uninstaller leaves them, so a reinstall keeps them.
