import type { ProbeContext } from '../model.js';
import type { PlatformFindings } from './files.js';
import { findOnLinux } from './linux.js';
import { findOnMacos } from './macos.js';
import { findOnWindows } from './windows.js';

export type Platform = 'windows' | 'macos' | 'linux';

export function platformOf(os: NodeJS.Platform): Platform | undefined {
  return os === 'win32' ? 'windows' : os === 'darwin' ? 'macos' : os === 'linux' ? 'linux' : undefined;
}

/** Search this platform's usual places for Net iD. */
export function findNetid(ctx: ProbeContext, platform: Platform): Promise<PlatformFindings> {
  switch (platform) {
    case 'windows':
      return findOnWindows(ctx);
    case 'macos':
      return findOnMacos(ctx);
    case 'linux':
      return findOnLinux(ctx);
  }
}
