import type { Probe } from '../model.js';
import { cardCert } from './card-cert.js';
import { cardProbe } from './card.js';
import { clockProbe } from './clock.js';
import { idpTlsProbe } from './idp-tls.js';
import { netidTokenProbe } from './netid-token.js';
import { netidProbe } from './netid.js';
import { pcscServiceProbe } from './pcsc-service.js';
import { proxyProbe } from './proxy.js';
import { readerProbe } from './reader.js';
import { testPageProbe } from './test-page.js';
import { windowsCertPathProbe } from './windows-cert-path.js';

/**
 * The registry: every probe, in the order of the checklist on the login help
 * page (card and reader, Net iD, certificate, proxy and TLS, test page).
 * Reports list checks in this order; the support code encodes them in the
 * order of its current layout (src/support-code.ts), which must match.
 */
export const PROBES: readonly Probe<object>[] = [
  pcscServiceProbe,
  readerProbe,
  cardProbe,
  netidProbe,
  netidTokenProbe,
  cardCert,
  windowsCertPathProbe,
  clockProbe,
  proxyProbe,
  idpTlsProbe,
  testPageProbe,
];
