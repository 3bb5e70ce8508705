// What the host's file system and shell can do, in one place (issue 18). Windows has no POSIX modes (every file
// reads as 0666, or 0444 when read-only), refuses FlushFileBuffers on a handle opened for reading, has no process
// groups and no /bin/sh. Callers take a Platform argument defaulting to the host's, so tests can pass another.
import { platform } from 'node:os';
import { withoutModes } from '../core/manifest-rules.js';
import type { Manifest } from '../core/model.js';

export type Platform = NodeJS.Platform;

export const HOST_PLATFORM: Platform = platform();

export const isWindows = (p: Platform = HOST_PLATFORM): boolean => p === 'win32';

/** Whether files have POSIX modes that stat reports and chmod sets (not on Windows: see README, Windows). */
export const hasModes = (p: Platform = HOST_PLATFORM): boolean => !isWindows(p);

/** The manifest the pack's files are compared with on this platform (core/manifest-rules.ts withoutModes). */
export const modesAsSeen = (m: Manifest, p: Platform = HOST_PLATFORM): Manifest => (hasModes(p) ? m : withoutModes(m));
