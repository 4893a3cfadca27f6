package dev.millwright.infra;

/** The power actions of Redfish's ComputerSystem.Reset that Millwright uses. */
public enum PowerAction { ON, OFF, FORCE_OFF, RESTART }
