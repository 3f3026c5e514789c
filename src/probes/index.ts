import type { Probe } from '../model.js';
import { clockProbe } from './clock.js';
import { idpTlsProbe } from './idp-tls.js';
import { netidTokenProbe } from './netid-token.js';
import { netidProbe } from './netid.js';
import { proxyProbe } from './proxy.js';
import { testPageProbe } from './test-page.js';

/**
 * The registry: every probe, in the order of the checklist on the login help
 * page (card and reader, Net iD, certificate, proxy and TLS, test page).
 * Reports list checks in this order; the support code encodes them in the
 * order of its current layout (src/support-code.ts), which must match.
 */
export const PROBES: readonly Probe<object>[] = [netidProbe, netidTokenProbe, clockProbe, proxyProbe, idpTlsProbe, testPageProbe];
