import { DEFAULT_PKI_DIR, makeTestPki } from '../../scripts/make-test-pki.mjs';

/**
 * Regenerate the TEST PKI once per test run: its certificates are dated
 * relative to now ("expires in 10 days"), so a stale copy would lie.
 */
export default function setup(): void {
  makeTestPki(DEFAULT_PKI_DIR);
}
