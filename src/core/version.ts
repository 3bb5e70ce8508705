// The tool version written into plans; plans from another format version are refused, not this one.
export const TOOL_VERSION = '0.1.0';
