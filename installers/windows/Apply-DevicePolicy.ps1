# Apply the counter PC's device policy on Windows (run as Administrator by the city's IT).
# The city promised: no USB memory or other external media (DOMAIN.md). center-desk checks at
# start and periodically that these values are in force, and shows a red banner when not.
#Requires -RunAsAdministrator
$ErrorActionPreference = "Stop"

# 1. Group Policy "All Removable Storage classes: Deny all access".
$policy = "HKLM:\SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices"
New-Item -Path $policy -Force | Out-Null
New-ItemProperty -Path $policy -Name "Deny_All" -Value 1 -PropertyType DWord -Force | Out-Null

# 2. The USB mass-storage driver does not start (Start = 4: disabled).
Set-ItemProperty -Path "HKLM:\SYSTEM\CurrentControlSet\Services\USBSTOR" -Name "Start" -Value 4

# 3. Printed slips carry names and addresses: the spooler must not keep them.
Get-Printer | ForEach-Object {
    Set-Printer -Name $_.Name -KeepPrintedJobs $false
}

Write-Output "Device policy applied. Restart the PC for the storage driver change to take effect."
