import { BlockList, isIP } from 'node:net';

// Bits a netmask octet contributes; any other octet value is not part of a netmask.
const MASK_OCTET_BITS: ReadonlyMap<number, number> = new Map([[0, 0], [128, 1], [192, 2], [224, 3], [240, 4], [248, 5], [252, 6], [254, 7], [255, 8]]);

/** Is the IPv4 `address` inside `network`/`bits`? Node's BlockList does the matching. */
export function inIpv4Subnet(address: string, network: string, bits: number): boolean {
  if (isIP(address) !== 4 || isIP(network) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const list = new BlockList();
  list.addSubnet(network, bits, 'ipv4');
  return list.check(address, 'ipv4');
}

/**
 * "10.0.0.0/8", or "169.254/16" the way macOS and Windows bypass lists write
 * a range (missing octets are zero).
 */
export function inIpv4Cidr(address: string, cidr: string): boolean {
  const m = /^(\d{1,3}(?:\.\d{1,3}){0,3})\/(\d+)$/.exec(cidr);
  if (!m) return false;
  const octets = m[1]!.split('.').map(Number);
  while (octets.length < 4) octets.push(0);
  return inIpv4Subnet(address, octets.join('.'), Number(m[2]));
}

/** PAC's isInNet: the network as an address and a netmask ("255.255.0.0"); a mask with a gap is no network. */
export function inIpv4Net(address: string, network: string, mask: string): boolean {
  if (isIP(mask) !== 4) return false;
  let bits = 0;
  let ones = true; // still in the leading run of ones
  for (const octet of mask.split('.')) {
    const n = MASK_OCTET_BITS.get(Number(octet));
    if (n === undefined || (!ones && n > 0)) return false;
    bits += n;
    ones = n === 8;
  }
  return inIpv4Subnet(address, network, bits);
}
