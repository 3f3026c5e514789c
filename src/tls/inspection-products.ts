/**
 * TLS-inspection products recognisable by the name of the CA that signs
 * the certificates they forge. A LABEL only: the verdict rests on the chain
 * not ending in a public root (or the missing client-certificate request);
 * a match here names the product in the report, nothing more. Most
 * products (Palo Alto, Check Point, Netskope, ...) sign with the
 * organisation's own CA, which no list can name.
 *
 * Patterns are matched against the subject and issuer names of the CA
 * certificates in the presented chain, and the name of the root it points to.
 * Sources: the vendors' documentation of their default inspection CA, as
 * noted per entry, and ../shared/DESIGN.md.
 */
export interface InspectionProduct {
  readonly product: string;
  readonly patterns: readonly RegExp[];
}

export const INSPECTION_PRODUCTS: readonly InspectionProduct[] = [
  // Zscaler Internet Access: "Zscaler Root CA" / "Zscaler Intermediate Root CA", O=Zscaler Inc.
  // (help.zscaler.com, "Choosing the CA Certificate for SSL Inspection").
  { product: 'Zscaler', patterns: [/\bZscaler\b/i] },
  // FortiGate deep inspection: default CA "Fortinet_CA_SSL", CN "FortiGate CA", O=Fortinet
  // (Fortinet docs, "SSL/SSH inspection", "Certificate operations").
  { product: 'Fortinet FortiGate', patterns: [/\bForti(Gate|net|Proxy)\b/i, /\bFortinet_CA/i] },
  // Blue Coat / Symantec / Broadcom ProxySG SSL interception: CA names carry "Blue Coat" or "ProxySG".
  { product: 'Blue Coat ProxySG', patterns: [/\bBlue ?Coat\b/i, /\bProxySG\b/i] },
  // Cisco Umbrella secure web gateway: "Cisco Umbrella Root CA" (Umbrella docs, "Install the Cisco Umbrella Root Certificate").
  { product: 'Cisco Umbrella', patterns: [/\bCisco Umbrella\b/i, /\bOpenDNS\b/i] },
  // Forcepoint (formerly Websense) Web Security / Cloud: "Forcepoint Cloud CA".
  { product: 'Forcepoint', patterns: [/\bForcepoint\b/i, /\bWebsense\b/i] },
  // McAfee Web Gateway, now Skyhigh Secure Web Gateway: default CA "McAfee Web Gateway".
  { product: 'McAfee / Skyhigh Web Gateway', patterns: [/\bMcAfee\b/i, /\bSkyhigh\b/i] },
  // Sophos XG / UTM HTTPS scanning: "Sophos SSL CA_<serial>".
  { product: 'Sophos', patterns: [/\bSophos\b/i] },
  // SonicWall DPI-SSL: "SonicWall Firewall DPI-SSL".
  { product: 'SonicWall', patterns: [/\bSonic ?Wall\b/i, /\bDPI-SSL\b/i] },
  // Cyberoam (now Sophos) HTTPS scanning: "Cyberoam SSL CA".
  { product: 'Cyberoam', patterns: [/\bCyberoam\b/i] },
  // ContentKeeper web filter HTTPS inspection.
  { product: 'ContentKeeper', patterns: [/\bContentKeeper\b/i] },
  // Smoothwall web filter HTTPS decryption.
  { product: 'Smoothwall', patterns: [/\bSmoothwall\b/i] },
  // Trend Micro InterScan Web Security Suite / Appliance (IWSS / IWSVA).
  { product: 'Trend Micro InterScan Web Security', patterns: [/\bTrend ?Micro\b/i, /\bIWSS\b/i, /\bIWSVA\b/i] },
  // Kaspersky endpoint products scanning encrypted connections: "Kaspersky Anti-Virus Personal Root Certificate".
  { product: 'Kaspersky', patterns: [/\bKaspersky\b/i] },
  // Avast / AVG Web Shield HTTPS scanning: "Avast Web/Mail Shield Root", "AVG Web/Mail Shield Root".
  { product: 'Avast / AVG', patterns: [/\bAvast\b/i, /\bAVG (Web|Technologies)\b/i] },
  // Bitdefender encrypted web scan: "Bitdefender Personal CA".
  { product: 'Bitdefender', patterns: [/\bBitdefender\b/i] },
];

/** The product whose CA name appears among `names`, if any. */
export function inspectionProductOf(names: readonly string[]): string | undefined {
  for (const entry of INSPECTION_PRODUCTS) {
    if (names.some((name) => entry.patterns.some((p) => p.test(name)))) return entry.product;
  }
  return undefined;
}
