import { attributeOf } from './dn.js';

/**
 * TLS-inspection products recognisable by the names of the CA that signs
 * the certificates they forge. A LABEL only: the verdict rests on evidence
 * from the chain (src/tls/chain-verdict.ts), and a label is never looked for
 * on a chain that ends in a Mozilla root. Products whose CA the organisation
 * names itself (Palo Alto forward trust, Check Point, most Netskope and
 * Zscaler tenants with a custom CA) are labelled only by what is reliably
 * recognisable, or not at all.
 *
 * Each entry matches the common name (`cn`) or the organisation (`o`) of any
 * CA name around the chain: every issuer, every CA subject, and the root the
 * chain points to. `source` is where the names were found: the vendor's
 * documentation, or a public issue where a user pasted the issuer.
 */
export interface InspectionProduct {
  readonly product: string;
  readonly cn?: readonly RegExp[];
  readonly o?: readonly RegExp[];
  readonly source: string;
}

export const INSPECTION_PRODUCTS: readonly InspectionProduct[] = [
  {
    product: 'Zscaler',
    cn: [/\bZscaler\b/i],
    o: [/\bZscaler\b/i],
    source: 'help.zscaler.com, "Choosing the CA Certificate for SSL Inspection" ("Zscaler Root CA", "Zscaler Intermediate Root CA", O=Zscaler Inc.)',
  },
  {
    product: 'Fortinet FortiGate',
    cn: [/\bForti(Gate|net|Proxy)\b/i, /\bFortinet_CA/i],
    o: [/\bFortinet\b/i],
    source: 'Fortinet documentation, "SSL/SSH inspection" and "Certificate operations" (default CA "Fortinet_CA_SSL", CN "FortiGate CA", O=Fortinet)',
  },
  {
    product: 'Blue Coat / Symantec ProxySG',
    cn: [/\bBlue ?Coat\b/i, /\bProxySG\b/i],
    o: [/\bBlue ?Coat\b/i],
    source: 'Broadcom ProxySG SSL interception documentation (CA names carry "Blue Coat" or "ProxySG"); ../shared/DESIGN.md',
  },
  {
    product: 'Cisco Umbrella',
    cn: [/\bCisco Umbrella\b/i, /\bOpenDNS\b/i],
    source: 'Cisco Umbrella documentation, "Install the Cisco Umbrella Root Certificate" ("Cisco Umbrella Root CA")',
  },
  { product: 'Forcepoint', cn: [/\bForcepoint\b/i, /\bWebsense\b/i], o: [/\bForcepoint\b/i, /\bWebsense\b/i], source: 'Forcepoint Web Security Cloud: "Forcepoint Cloud CA"; ../shared/DESIGN.md' },
  {
    product: 'McAfee / Skyhigh Web Gateway',
    cn: [/\bMcAfee\b/i, /\bSkyhigh\b/i],
    o: [/\bMcAfee\b/i, /\bSkyhigh\b/i],
    source: 'McAfee Web Gateway / Skyhigh SWG default CA "McAfee Web Gateway"; ../shared/DESIGN.md',
  },
  { product: 'Sophos (UTM, Firewall)', cn: [/\bSophos\b/i], o: [/\bSophos\b/i], source: 'Sophos Firewall / UTM HTTPS scanning CA "Sophos SSL CA_<serial>"; ../shared/DESIGN.md' },
  { product: 'SonicWall', cn: [/\bSonic ?Wall\b/i, /\bDPI-SSL\b/i], o: [/\bSonic ?Wall\b/i], source: 'SonicWall DPI-SSL default CA "SonicWall Firewall DPI-SSL"; ../shared/DESIGN.md' },
  {
    product: 'Netskope',
    cn: [/\bNetskope\b/i],
    o: [/\bNetskope\b/i],
    source: 'https://github.com/D4-project/Plum-Island/issues/41 (issuer CN "Netskope Borderless SD-WAN Root", O "Netskope Inc."); https://github.com/webdriverio-community/wdio-chromedriver-service/issues/82',
  },
  {
    product: 'ESET',
    cn: [/\bESET\b/],
    o: [/\bESET\b/],
    source: 'https://github.com/the-last-byte/ESET-NPM-Breakage-Fix/issues/2 ("ESET Filter CA", exported from the root store by "CN=ESET")',
  },
  {
    product: 'Norton / Gen Digital',
    cn: [/\bNorton\b/i],
    o: [/\bNorton\b/i, /\bGen Digital\b/i, /\bNortonLifeLock\b/i],
    source: 'https://github.com/matlab/matlab-mcp-server/issues/100 (issuer "CN=Norton Web/Mail Shield Self-signed Root, O=Norton Web/Mail Shield")',
  },
  {
    product: 'Avast / AVG',
    cn: [/\bAvast\b/i, /\bAVG (Web|Technologies)\b/i],
    o: [/\bAvast\b/i, /\bAVG Technologies\b/i],
    source: 'Avast / AVG Web Shield HTTPS scanning: "Avast Web/Mail Shield Root", "AVG Web/Mail Shield Root"; ../shared/DESIGN.md',
  },
  {
    product: 'Kaspersky',
    cn: [/\bKaspersky\b/i],
    o: [/\bKaspersky\b/i],
    source: 'https://github.com/keybase/client/issues/7228 (issuer "O=AO Kaspersky Lab, CN=Kaspersky Web Anti-Virus Certification Authority")',
  },
  { product: 'Bitdefender', cn: [/\bBitdefender\b/i], o: [/\bBitdefender\b/i], source: 'Bitdefender encrypted web scan: "Bitdefender Personal CA"; ../shared/DESIGN.md' },
  {
    product: 'Cloudflare Gateway',
    cn: [/^Cloudflare Root CA$/i, /\bGateway CA\b.*\bCloudflare\b/i, /\bCloudflare for Teams\b/i],
    source:
      'Cloudflare API schema zero-trust-gateway_certificate-settings ("If not specified, the Cloudflare Root CA will be used", raw.githubusercontent.com/api-evangelist/engineering-platform); https://github.com/cloudflare/cloudflare-docs/pull/6945 (Gateway TLS decryption). The managed-CA names "Gateway CA - Cloudflare Managed G1" and "Cloudflare for Teams ECC Certificate Authority" are as commonly reported, not confirmed in a stored source',
  },
  { product: 'AdGuard', cn: [/\bAdGuard\b/i], o: [/\bAdGuard\b/i], source: 'https://github.com/AdguardTeam/AdguardForWindows/issues/1306 ("AdGuard Personal CA")' },
  {
    product: 'mitmproxy',
    cn: [/^mitmproxy$/i],
    o: [/^mitmproxy$/i],
    source: 'https://github.com/mitmproxy/mitmproxy/blob/main/docs/src/content/concepts/certificates.md (the CA it creates in ~/.mitmproxy); its name CN=mitmproxy, O=mitmproxy as in https://github.com/PeterPawn/YourFritz/blob/main/mitmproxy-ca.pem and as Debian\'s mitmproxy 8.1 generates it (test/tls-real-servers.test.ts)',
  },
  {
    product: 'Fiddler',
    cn: [/\bDO_NOT_TRUST_Fiddler/i, /\bFiddler Root Certificate Authority\b/i, /\bFiddler_Root_Certificate_Authority\b/i],
    o: [/\bDO_NOT_TRUST\b/],
    source:
      'https://github.com/Lawin0129/LawinServer/issues/116 ("DO_NOT_TRUST_FiddlerRoot"); https://github.com/telerik/fiddler-everywhere-docs/pull/359 ("Fiddler_Root_Certificate_Authority")',
  },
  {
    product: 'Burp Suite (PortSwigger)',
    cn: [/\bPortSwigger CA\b/i],
    o: [/^PortSwigger$/i],
    source: 'https://github.com/FiloSottile/mkcert/discussions/684 (Burp signs with "PortSwigger CA"; subject C=PortSwigger, O=PortSwigger, OU=PortSwigger CA, CN=PortSwigger CA)',
  },
  {
    product: 'Trend Micro',
    cn: [/\bTrend ?Micro\b/i, /\bIWSS\b/i, /\bIWSVA\b/i],
    o: [/\bTrend ?Micro\b/i],
    source: 'Trend Micro InterScan Web Security (IWSS / IWSVA) HTTPS decryption CA; ../shared/DESIGN.md',
  },
  { product: 'Cyberoam', cn: [/\bCyberoam\b/i], o: [/\bCyberoam\b/i], source: 'Cyberoam (now Sophos) HTTPS scanning: "Cyberoam SSL CA"; ../shared/DESIGN.md' },
  { product: 'ContentKeeper', cn: [/\bContentKeeper\b/i], o: [/\bContentKeeper\b/i], source: 'ContentKeeper web filter HTTPS inspection; ../shared/DESIGN.md' },
  { product: 'Smoothwall', cn: [/\bSmoothwall\b/i], o: [/\bSmoothwall\b/i], source: 'Smoothwall web filter HTTPS decryption; ../shared/DESIGN.md' },
];

/** The product whose CA name (CN or O) appears among `names` (display names, "CN=…, O=…"), if any. */
export function inspectionProductOf(names: readonly string[]): string | undefined {
  for (const entry of INSPECTION_PRODUCTS) {
    const hit = names.some((name) => {
      const cn = attributeOf(name, 'CN');
      const o = attributeOf(name, 'O');
      return (cn !== undefined && (entry.cn ?? []).some((p) => p.test(cn))) || (o !== undefined && (entry.o ?? []).some((p) => p.test(o)));
    });
    if (hit) return entry.product;
  }
  return undefined;
}
