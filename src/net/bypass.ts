import { isIP } from 'node:net';
import { inIpv4Cidr } from './ipv4.js';
import { bare, portOf } from './tunnel.js';

/**
 * One entry of a Windows bypass list (ProxyOverride, the WinHTTP bypass
 * list) or of macOS's ExceptionsList, the way those systems read them:
 * `<local>` is any name without a dot; `*` is a wildcard over the whole host
 * name (`*.region.se`, `10.*`); an entry may carry a scheme (`https://host`)
 * and a port; `169.254/16` style ranges match IPv4 addresses.
 */
export function bypassEntryMatches(raw: string, target: URL): boolean {
  let entry = raw.trim().toLowerCase();
  if (!entry) return false;
  const host = bare(target.hostname).toLowerCase();
  if (entry === '<local>') return !host.includes('.') && isIP(host) === 0;
  if (entry.startsWith('<')) return false; // <-loopback> and the like remove rules, they add none
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(entry);
  if (scheme) {
    if (`${scheme[1]}:` !== target.protocol) return false;
    entry = entry.slice(scheme[0].length);
  }
  if (entry.includes('/')) return inIpv4Cidr(host, entry);
  let pattern = entry;
  const port = /^([^:\]]+|\[[^\]]+\]):(\d+)$/.exec(entry);
  if (port) {
    if (port[2] !== String(portOf(target))) return false;
    pattern = port[1]!;
  }
  pattern = bare(pattern);
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(host);
}

export function bypassListMatches(entries: readonly string[], target: URL): boolean {
  return entries.some((entry) => bypassEntryMatches(entry, target));
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
