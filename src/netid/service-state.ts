/**
 * `sc query NAME` and `sc qc NAME`, parsed by structure. sc.exe localises
 * its labels (STATE / TILLSTÅND, START_TYPE / STARTTYP) but not the values:
 * a state or start type is a number followed by a fixed upper-case word
 * ("4  RUNNING", "4   DISABLED"), and that pair is what is read here.
 */

export type ServiceState = 'STOPPED' | 'START_PENDING' | 'STOP_PENDING' | 'RUNNING' | 'CONTINUE_PENDING' | 'PAUSE_PENDING' | 'PAUSED';
export type StartType = 'BOOT_START' | 'SYSTEM_START' | 'AUTO_START' | 'DEMAND_START' | 'DISABLED';

const STATES: Record<string, ServiceState> = {
  '1': 'STOPPED',
  '2': 'START_PENDING',
  '3': 'STOP_PENDING',
  '4': 'RUNNING',
  '5': 'CONTINUE_PENDING',
  '6': 'PAUSE_PENDING',
  '7': 'PAUSED',
};
const START_TYPES: Record<string, StartType> = { '0': 'BOOT_START', '1': 'SYSTEM_START', '2': 'AUTO_START', '3': 'DEMAND_START', '4': 'DISABLED' };
const PAIR = /:\s*(\d+)\s+([A-Z_]+)\b/;

/** Lines of the output; NULs dropped, as a UTF-16 output read as UTF-8 has them between characters (Wine's sc.exe writes so to a pipe). */
function lines(output: string): string[] {
  return output.replace(/\0/g, '').split(/\r\n|\r|\n/);
}

/** The service's state from `sc query`: the number-and-word pair whose word is a state. */
export function parseServiceState(output: string): ServiceState | undefined {
  for (const line of lines(output)) {
    const m = PAIR.exec(line);
    if (m && STATES[m[1]!] === m[2]) return m[2] as ServiceState;
  }
  return undefined;
}

/** The start type from `sc qc`: the pair whose word is a start type (DISABLED, DEMAND_START, ...). */
export function parseStartType(output: string): StartType | undefined {
  for (const line of lines(output)) {
    const m = PAIR.exec(line);
    if (m && START_TYPES[m[1]!] === m[2]) return m[2] as StartType;
  }
  return undefined;
}
