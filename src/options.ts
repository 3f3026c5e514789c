import type { Lang } from './i18n/index.js';

export const FORMATS = ['text', 'json', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_TIMEOUT_MS = 600_000;

/** Parsed and validated command-line options, as probes and renderers see them. */
export interface DoctorOptions {
  readonly lang: Lang;
  readonly format: Format;
  /** Write the report here instead of stdout. */
  readonly output?: string;
  /** Per network or card operation, in milliseconds. */
  readonly timeoutMs: number;
  /** Network probes skip. */
  readonly offline: boolean;
  readonly showPersonalData: boolean;
  /** False with --no-color; the renderer also drops colour when not a TTY or NO_COLOR is set. */
  readonly color: boolean;
  readonly verbose: boolean;
}

export function defaultOptions(overrides: Partial<DoctorOptions> = {}): DoctorOptions {
  return {
    lang: 'en',
    format: 'text',
    timeoutMs: DEFAULT_TIMEOUT_MS,
    offline: false,
    showPersonalData: false,
    color: true,
    verbose: false,
    ...overrides,
  };
}
