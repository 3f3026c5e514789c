import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDerExactly, type DerNode } from '../src/der.js';
import { parseCertificate } from '../src/x509/parse.js';
import { testPki } from './helpers/pki.js';

/**
 * Certificates damaged in one place, each refused as OpenSSL refuses it.
 * node-forge, which read RSA certificates before, let several of these
 * through with partial values; one reader now refuses them for every key type.
 */

const pki = testPki();

/** Where a node's bytes start in the DER it was read from. */
const offsetOf = (der: Buffer, node: DerNode) => node.raw.byteOffset - der.byteOffset;

function damaged(name: string, change: (der: Buffer, tbs: readonly DerNode[]) => void): Buffer {
  const der = Buffer.from(pki.der(name));
  const tbs = readDerExactly(der).children[0]!.children;
  change(der, tbs.slice(1)); // after the [0] version
  return der;
}

function opensslRefuses(der: Buffer): boolean {
  try {
    // The key is decoded when asked for: a certificate whose key cannot be read is refused there.
    void new X509Certificate(der).publicKey;
    return false;
  } catch {
    return true;
  }
}

/** The content of a field's first OBJECT IDENTIFIER, found depth first. */
function firstOid(node: DerNode): DerNode {
  if (node.tagClass === 0 && node.type === 6) return node;
  for (const child of node.children) {
    try {
      return firstOid(child);
    } catch {
      // not under this child
    }
  }
  throw new Error('no OID');
}

const CASES: [string, string, RegExp, (der: Buffer, tbs: readonly DerNode[]) => void][] = [
  ['an OID padded with 0x80 (X.690 8.19.2)', 'card-hsa-auth-valid', /not an object identifier/, (der, [, signature]) => void (der[offsetOf(der, firstOid(signature!)) + 3] = 0x80)],
  ['a serial number with a needless leading 00 (X.690 8.3.2)', 'card-hsa-auth-ec', /serial number is not a minimal INTEGER/, (der, [serial]) => void (der[offsetOf(der, serial!) + 2] = 0x00)],
  ['a key algorithm nobody knows', 'card-hsa-auth-valid', /unknown public key algorithm 1\.2\.840\.113549\.1\.1\.9/, (der, [, , , , , spki]) => void (der[offsetOf(der, firstOid(spki!)) + 10] = 0x09)],
  ['a name holding UTF-8 that is not', 'card-hsa-auth-valid', /malformed string/, (der, [, , , , subject]) => {
    const utf8 = subject!.children.flatMap((rdn) => rdn.children.map((atv) => atv.children[1]!)).find((v) => v.type === 12)!;
    der[offsetOf(der, utf8) + 2] = 0xff;
  }],
  ['an extension whose value is not an OCTET STRING', 'card-hsa-auth-ec', /extension is not/, (der, [, , , , , , extensions]) => {
    const first = extensions!.children[0]!.children[0]!;
    der[offsetOf(der, first.children.at(-1)!)] = 0x01;
  }],
  ['a field after the key that is not [1], [2] or [3]', 'card-hsa-auth-valid', /unexpected field after the key/, (der, [, , , , , , extensions]) => void (der[offsetOf(der, extensions!)] = 0xa4)],
];

describe('damaged certificates', () => {
  it.each(CASES)('%s: not-a-certificate, as OpenSSL says', (_, name, why, change) => {
    const der = damaged(name, change);
    expect(der.equals(pki.der(name))).toBe(false);
    expect(opensslRefuses(der)).toBe(true);
    expect(parseCertificate(der)).toMatchObject({ ok: false, problem: 'not-a-certificate', error: expect.stringMatching(why) });
  });
});
