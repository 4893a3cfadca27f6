package dev.millwright.infra;

/** Where a one-time boot comes from. */
public enum BootSource { PXE, VIRTUAL_MEDIA, UEFI_HTTP, DISK }
