# Build the Windows installer of the counter desk, on a Windows 10/11 build PC with Python 3.11
# (python.org, "py" launcher) and Inno Setup 6 installed; it needs PyPI, the counter PCs don't:
#
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
#
# 1. a build virtual environment (.venv-build) with center-desk and PyInstaller (the "build"
#    extra; PySide6-Addons for QtPdf comes with the Windows dependencies),
# 2. the one-folder PyInstaller build from the spec the Linux package shares
#    (installers\pyinstaller\center-desk.spec) into dist\pyinstaller\center-desk,
# 3. its self-test (the window check must pass on the build PC; keyring, backend, printer and
#    device policy are the counter PC's to pass),
# 4. Inno Setup: dist\center-desk-setup-<version>.exe.
param(
    [string]$Python = "py",
    [string]$PythonVersion = "-3.11",
    [string]$InnoSetup = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root

if (-not (Test-Path ".venv-build\Scripts\python.exe")) {
    & $Python $PythonVersion -m venv .venv-build
    if ($LASTEXITCODE -ne 0) { throw "could not create .venv-build" }
}
$Venv = Join-Path $Root ".venv-build\Scripts\python.exe"
& $Venv -m pip install --quiet --upgrade pip
& $Venv -m pip install --quiet ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Venv -m PyInstaller --noconfirm --distpath dist\pyinstaller --workpath build\pyinstaller `
    installers\pyinstaller\center-desk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$SelfTest = & dist\pyinstaller\center-desk\center-desk.exe --self-test
$SelfTest | Write-Output
if (-not ($SelfTest | Select-String -Pattern "^ok\s+window\s")) { throw "the built desk's window does not open" }

$Version = & $Venv -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
if (-not (Test-Path $InnoSetup)) { throw "Inno Setup 6 not found at $InnoSetup" }
& $InnoSetup "/DAppVersion=$Version" installers\windows\center-desk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Output "built dist\center-desk-setup-$Version.exe"
