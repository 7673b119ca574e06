; Inno Setup 6 script for the counter desk on Windows: per-machine install of the PyInstaller
; build (installers/pyinstaller/center-desk.spec), the device policy, the backend address and
; the city CA, a Start-menu entry, and a clean uninstall. Built by build.ps1:
;
;   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
;
; Mass deployment, silently (as Administrator or from the city's software-distribution tool):
;
;   center-desk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG=C:\Windows\Temp\center-desk-setup.log
;       /BACKEND=https://yoyaku.example.lg.jp /CAFILE=\\fileserver\it\city-ca.pem
;       [/PRINTER=counter] [/ALLOWPRINTERS=counter,counter2]
;
; The address and the CA go to %ProgramData%\center-desk\site.json and city-ca.pem (read by
; center_desk/sync/site.py): the first-run window offers them, and `center-desk --self-test`
; checks them. A bad /BACKEND or an unreadable /CAFILE stops the install with exit code and
; a log line, before anything is copied.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\pyinstaller\center-desk"

[Setup]
AppId={{E3F8F242-DA7C-4935-9A5C-045EB7FB03A0}
AppName=Kodaira Counter Desk
AppVerName=Kodaira Counter Desk {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=Kodaira City
DefaultDirName={autopf}\center-desk
DisableDirPage=yes
DisableProgramGroupPage=yes
; Per machine: every counter user gets the same program, and the policy needs Administrator.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=center-desk-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes
UninstallDisplayIcon={app}\center-desk-window.exe
UninstallDisplayName=Kodaira Counter Desk
; The USBSTOR change takes effect after a restart.
AlwaysRestart=no
RestartIfNeededByRun=no

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
japanese.AppTitle=地域センター窓口
english.AppTitle=Counter desk
japanese.ApplyingPolicy=USB 記憶装置の禁止を設定しています…
english.ApplyingPolicy=Applying the device policy (no USB storage)...
japanese.BackendPageTitle=予約システム
english.BackendPageTitle=Reservation system
japanese.BackendPageText=予約システムのアドレス（https://…）と、市の CA 証明書ファイルを指定してください。
english.BackendPageText=Enter the reservation system's address (https://…) and the city's CA certificate file.
japanese.BackendAddress=アドレス:
english.BackendAddress=Address:
japanese.CaFile=CA 証明書ファイル (PEM):
english.CaFile=CA certificate file (PEM):
japanese.BadBackend=予約システムのアドレスは https:// で始まる必要があります。
english.BadBackend=The reservation system's address must start with https://.
japanese.BadCaFile=CA 証明書ファイルが見つからないか、PEM 形式の証明書ではありません。
english.BadCaFile=The CA certificate file is missing or is not a PEM certificate.

[Dirs]
; Readable by every counter user, writable by administrators only.
Name: "{commonappdata}\center-desk"; Permissions: users-readexec

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "Apply-DevicePolicy.ps1"; DestDir: "{app}\policy"; Flags: ignoreversion
Source: "Remove-DevicePolicy.ps1"; DestDir: "{app}\policy"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{cm:AppTitle}"; Filename: "{app}\center-desk-window.exe"; WorkingDir: "{app}"; Comment: "Kodaira community center counter desk"

[Run]
Filename: "{sys}\WindowsPowerShell\v1.0\powershell.exe"; Parameters: "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ""{app}\policy\Apply-DevicePolicy.ps1"""; StatusMsg: "{cm:ApplyingPolicy}"; Flags: runhidden waituntilterminated

[UninstallRun]
Filename: "{sys}\WindowsPowerShell\v1.0\powershell.exe"; Parameters: "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File ""{app}\policy\Remove-DevicePolicy.ps1"""; RunOnceId: "RemoveDevicePolicy"; Flags: runhidden waituntilterminated

[UninstallDelete]
; The machine's settings written below. Each user's encrypted cache stays until that user's
; desk is revoked or IT deletes %LOCALAPPDATA%\center-desk: it is unreadable without the key
; in that user's Credential Manager.
Type: files; Name: "{commonappdata}\center-desk\site.json"
Type: files; Name: "{commonappdata}\center-desk\city-ca.pem"
Type: dirifempty; Name: "{commonappdata}\center-desk"
Type: filesandordirs; Name: "{app}"

[Code]
var
  BackendPage: TInputQueryWizardPage;
  CaPage: TInputFileWizardPage;

function JsonString(const Value: String): String;
var
  S: String;
begin
  S := Value;
  StringChangeEx(S, '\', '\\', True);
  StringChangeEx(S, '"', '\"', True);
  Result := '"' + S + '"';
end;

function Backend(): String;
begin
  Result := Trim(ExpandConstant('{param:BACKEND|}'));
  if (Result = '') and (BackendPage <> nil) then
    Result := Trim(BackendPage.Values[0]);
  if Result = 'https://' then
    Result := '';
end;

function CaFile(): String;
begin
  Result := Trim(ExpandConstant('{param:CAFILE|}'));
  if (Result = '') and (CaPage <> nil) then
    Result := Trim(CaPage.Values[0]);
end;

function ValidBackend(const Url: String): Boolean;
begin
  Result := (Url = '') or (Pos('https://', Lowercase(Url)) = 1);
end;

function ValidCaFile(const Path: String): Boolean;
var
  Text: AnsiString;
begin
  Result := (Path = '') or
    (FileExists(Path) and LoadStringFromFile(Path, Text) and (Pos('BEGIN CERTIFICATE', Text) > 0));
end;

procedure InitializeWizard();
begin
  BackendPage := CreateInputQueryPage(wpSelectTasks, CustomMessage('BackendPageTitle'),
    '', CustomMessage('BackendPageText'));
  BackendPage.Add(CustomMessage('BackendAddress'), False);
  BackendPage.Values[0] := ExpandConstant('{param:BACKEND|https://}');
  CaPage := CreateInputFilePage(BackendPage.ID, CustomMessage('BackendPageTitle'), '',
    CustomMessage('BackendPageText'));
  CaPage.Add(CustomMessage('CaFile'), 'PEM (*.pem;*.crt)|*.pem;*.crt|*.*|*.*', '.pem');
  CaPage.Values[0] := ExpandConstant('{param:CAFILE|}');
end;

function InitializeSetup(): Boolean;
begin
  // Silent installs are checked here, before anything is copied.
  Result := True;
  if not ValidBackend(Trim(ExpandConstant('{param:BACKEND|}'))) then begin
    Log('center-desk: /BACKEND must start with https://');
    SuppressibleMsgBox(CustomMessage('BadBackend'), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end else if not ValidCaFile(Trim(ExpandConstant('{param:CAFILE|}'))) then begin
    Log('center-desk: /CAFILE is missing or not a PEM certificate');
    SuppressibleMsgBox(CustomMessage('BadCaFile'), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if (BackendPage <> nil) and (CurPageID = BackendPage.ID) then begin
    Result := ValidBackend(Backend());
    if not Result then MsgBox(CustomMessage('BadBackend'), mbError, MB_OK);
  end else if (CaPage <> nil) and (CurPageID = CaPage.ID) then begin
    Result := ValidCaFile(CaFile());
    if not Result then MsgBox(CustomMessage('BadCaFile'), mbError, MB_OK);
  end;
end;

function PrinterList(): String;
var
  Allowed, Item: String;
  Comma: Integer;
begin
  Allowed := Trim(ExpandConstant('{param:ALLOWPRINTERS|}'));
  if Allowed = '' then Allowed := Trim(ExpandConstant('{param:PRINTER|}'));
  Result := '';
  while Allowed <> '' do begin
    Comma := Pos(',', Allowed);
    if Comma = 0 then begin
      Item := Trim(Allowed);
      Allowed := '';
    end else begin
      Item := Trim(Copy(Allowed, 1, Comma - 1));
      Allowed := Copy(Allowed, Comma + 1, Length(Allowed));
    end;
    if Item <> '' then begin
      if Result <> '' then Result := Result + ', ';
      Result := Result + JsonString(Item);
    end;
  end;
end;

procedure WriteSiteSettings();
var
  Folder, Json, Url, Ca, Printer: String;
  Lines: TArrayOfString;
begin
  Folder := ExpandConstant('{commonappdata}\center-desk');
  Url := Backend();
  Ca := CaFile();
  Printer := Trim(ExpandConstant('{param:PRINTER|}'));
  if (Url = '') and (Ca = '') and (PrinterList() = '') and FileExists(Folder + '\site.json') then begin
    // An upgrade without parameters keeps the machine's settings.
    Log('center-desk: keeping the existing site.json');
    exit;
  end;
  if (Ca <> '') and not FileCopy(Ca, Folder + '\city-ca.pem', False) then
    RaiseException('cannot copy the CA certificate to ' + Folder);
  Json := '{';
  if Url <> '' then Json := Json + '"backend_url": ' + JsonString(Url);
  if Ca <> '' then begin
    if Json <> '{' then Json := Json + ', ';
    Json := Json + '"ca_file": "city-ca.pem"';
  end;
  if PrinterList() <> '' then begin
    if Json <> '{' then Json := Json + ', ';
    Json := Json + '"allowed_printers": [' + PrinterList() + ']';
  end;
  if Printer <> '' then begin
    if Json <> '{' then Json := Json + ', ';
    Json := Json + '"printer": ' + JsonString(Printer);
  end;
  Json := Json + '}';
  SetArrayLength(Lines, 1);
  Lines[0] := Json;
  // UTF-8 (with a byte-order mark, which site.py accepts): printer names may be Japanese.
  if not SaveStringsToUTF8File(Folder + '\site.json', Lines, False) then
    RaiseException('cannot write ' + Folder + '\site.json');
  Log('center-desk: wrote site.json (backend ' + Url + ')');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    WriteSiteSettings();
end;
