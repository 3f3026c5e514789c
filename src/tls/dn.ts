/**
 * Distinguished names as a person reads them, most specific first:
 * "CN=TEST SITHS e-id Root CA v2, O=Inera AB (TEST), C=SE". The names in a
 * CertificateRequest come straight from the wire: they are read with the
 * length-checked DER layer (src/der.ts), and a name it cannot read comes
 * back as undefined, never as an exception.
 */

import { DerError, decodeOid, isUniversal, readDerExactly, textOf, TYPE, type DerNode } from '../der.js';
import { ATTRIBUTE_LABELS, cleanText } from '../x509/facts.js';

/** An attribute's short name and value, in DER order. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

/** The attributes of a DER Name, or undefined when it is not one. */
export function parseName(der: Buffer): NameAttribute[][] | undefined {
  let outer;
  try {
    outer = readDerExactly(der);
  } catch (err) {
    if (err instanceof DerError) return undefined;
    throw err;
  }
  if (!isUniversal(outer, TYPE.SEQUENCE) || !outer.constructed) return undefined;
  const out: NameAttribute[][] = [];
  for (const rdn of outer.children) {
    if (!isUniversal(rdn, TYPE.SET) || rdn.children.length === 0) return undefined;
    const set: NameAttribute[] = [];
    for (const atv of rdn.children) {
      if (!isUniversal(atv, TYPE.SEQUENCE) || atv.children.length !== 2) return undefined;
      const [kind, value] = atv.children as [DerNode, DerNode];
      const oid = isUniversal(kind, TYPE.OID) && !kind.constructed ? decodeOid(kind.value) : undefined;
      if (!oid) return undefined;
      set.push({ type: ATTRIBUTE_LABELS[oid] ?? oid, value: cleanText(textOf(value)) });
    }
    out.push(set);
  }
  return out;
}

/** "CN=..., O=..., C=SE", most specific first; undefined when the bytes are not a name. */
export function formatName(der: Buffer): string | undefined {
  const rdns = parseName(der);
  if (!rdns) return undefined;
  return rdns
    .map((set) => set.map((a) => `${a.type}=${a.value}`).join(' + '))
    .reverse()
    .join(', ');
}

/**
 * Node's X509Certificate.subject / .issuer ("C=SE\nO=...\nCN=...", one
 * attribute a line, control characters already escaped) in the same order
 * and style as formatName.
 */
export function fromNodeName(multiline: string): string {
  return cleanText(multiline.split('\n').filter(Boolean).reverse().join(', '));
}

/** The value of the first attribute of a type in a display name ("CN" of "CN=x, O=y"). */
export function attributeOf(displayName: string, type: string): string | undefined {
  for (const part of displayName.split(/,\s+(?=[A-Za-z0-9.]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === type) return part.slice(eq + 1);
  }
  return undefined;
}
