import type { Lang } from './i18n/index.js';
import { DEFAULT_IDP_HOSTS } from './tls/idp-hosts.js';

export const FORMATS = ['text', 'json', 'markdown', 'prometheus'] as const;
export type Format = (typeof FORMATS)[number];

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_EXPIRY_WARN_DAYS = 30;
export const DEFAULT_TEST_URL = 'https://test.siths.se/';
export const DEFAULT_IDP_HOST = 'm00-mg-local.idp.funktionstjanster.se';

/** --resolve HOST:PORT:ADDRESS, like curl: connect to ADDRESS, keep HOST for SNI and the Host header. */
export interface ResolveRule {
  readonly host: string;
  readonly port: number;
  readonly address: string;
}

/** HOST or HOST:PORT, lower-cased; port 443 unless given. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

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

  // Card and certificates
  /** --cert FILE: analyse these certificate files (PEM or DER) instead of the card's. */
  readonly certFiles: readonly string[];
  /** --expiry-warn-days N: warn when the login certificate expires within N days. */
  readonly expiryWarnDays: number;

  // Net iD
  /** --pkcs11-module PATH: the PKCS#11 library to use instead of searching for Net iD's. */
  readonly pkcs11Module?: string;

  // Network
  /** --proxy URL: use this proxy for everything (credentials in the URL are used, never printed). */
  readonly proxy?: string;
  /** --no-proxy: connect directly, ignoring every proxy setting. */
  readonly noProxy: boolean;
  /** --pac URL|FILE: evaluate this proxy auto-config script. */
  readonly pac?: string;
  readonly resolve: readonly ResolveRule[];
  /** --ca-file FILE: extra roots to trust, on top of Node's bundled Mozilla roots. */
  readonly caFiles: readonly string[];
  /** --test-url URL: the SITHS test page. */
  readonly testUrl: string;
  /** --idp-host HOST[:PORT], may repeat. */
  readonly idpHosts: readonly HostPort[];
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
    certFiles: [],
    expiryWarnDays: DEFAULT_EXPIRY_WARN_DAYS,
    noProxy: false,
    resolve: [],
    caFiles: [],
    testUrl: DEFAULT_TEST_URL,
    idpHosts: DEFAULT_IDP_HOSTS.map((host) => ({ host, port: 443 })),
    ...overrides,
  };
}
