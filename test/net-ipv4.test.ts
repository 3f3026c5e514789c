import { describe, expect, it } from 'vitest';
import { inIpv4Cidr, inIpv4Net, inIpv4Subnet } from '../src/net/ipv4.js';

describe('IPv4 ranges (one helper over net.BlockList)', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['169.254.1.1', '169.254/16', true],
    ['169.255.1.1', '169.254/16', false],
    ['192.168.0.9', '192.168.0.9/32', true],
    ['8.8.8.8', '0.0.0.0/0', true],
    ['10.1.2.3', '10.0.0.0/33', false],
    ['10.1.2.3', '10.0.0.0/', false],
    ['10.1.2.3', '300.0.0.0/8', false],
    ['10.1.2.3', '10.0.0.0.0/8', false],
    ['::1', '10.0.0.0/8', false],
    ['printer', '10.0.0.0/8', false],
  ])('%s in %s: %s', (address, cidr, expected) => {
    expect(inIpv4Cidr(address, cidr)).toBe(expected);
  });

  it.each([
    ['127.0.0.1', '127.0.0.0', '255.0.0.0', true],
    ['128.0.0.1', '127.0.0.0', '255.0.0.0', false],
    ['198.95.249.79', '198.95.0.0', '255.255.0.0', true],
    ['198.95.249.79', '198.95.249.79', '255.255.255.255', true],
    ['10.0.0.1', '192.168.0.0', '0.0.0.0', true],
    ['10.0.0.1', '10.0.0.0', '255.0.255.0', false], // a mask with a gap is no network
    ['10.0.0.1', '10.0.0.0', '255.0.0', false],
    ['10.0.0.1', 'ten', '255.0.0.0', false],
  ])('isInNet(%s, %s, %s): %s', (address, network, mask, expected) => {
    expect(inIpv4Net(address, network, mask)).toBe(expected);
  });

  it('refuses a prefix that is not a whole number of bits from 0 to 32', () => {
    expect(inIpv4Subnet('10.0.0.1', '10.0.0.0', 8.5)).toBe(false);
    expect(inIpv4Subnet('10.0.0.1', '10.0.0.0', -1)).toBe(false);
    expect(inIpv4Subnet('10.0.0.1', '10.0.0.0', 8)).toBe(true);
  });
});
