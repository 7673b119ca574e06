# Undo Apply-DevicePolicy.ps1 when center-desk is uninstalled (run as Administrator; the
# uninstaller runs it). The PC goes back to Windows' defaults: removable storage allowed by
# policy, the USB mass-storage driver on demand (Start = 3). Printers keep not keeping printed
# jobs, which is Windows' own default too.
#Requires -RunAsAdministrator
$ErrorActionPreference = "Stop"

$policy = "HKLM:\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices"
if (Test-Path $policy) {
    Remove-ItemProperty -Path $policy -Name "Deny_All" -ErrorAction SilentlyContinue
}
Set-ItemProperty -Path "HKLM:\SYSTEM\CurrentControlSet\Services\USBSTOR" -Name "Start" -Value 3

Write-Output "Device policy removed."
