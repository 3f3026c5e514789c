/**
 * macOS proxy settings from `scutil --proxy`: the effective settings of the
 * current network, printed as a nested "<dictionary> { Key : value }" tree.
 * Per-interface copies under __SCOPED__ are not what apps use and are ignored.
 */

export type ScutilValue = string | ScutilTree;
export interface ScutilTree {
  readonly [key: string]: ScutilValue;
}

/** Deeper than any real output; a bound for malformed input. */
const MAX_DEPTH = 16;

export function parseScutil(stdout: string): ScutilTree {
  const root: Record<string, ScutilValue> = {};
  const stack: Record<string, ScutilValue>[] = [];
  let tooDeep = 0;
  const open = (container: Record<string, ScutilValue>): void => {
    if (stack.length >= MAX_DEPTH) tooDeep++;
    else stack.push(container);
  };
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '}') {
      if (tooDeep > 0) tooDeep--;
      else stack.pop();
      continue;
    }
    if (/^<(dictionary|array)> \{$/.test(line)) {
      open(root);
      continue;
    }
    const m = /^(.+?) : (.*)$/.exec(line);
    if (!m || tooDeep > 0) continue;
    // Bare "Key : value" lines without the opening line still count, at the top level.
    const current = stack.at(-1) ?? root;
    const [, key = '', value = ''] = m;
    if (/^<(dictionary|array)> \{$/.test(value)) {
      const child: Record<string, ScutilValue> = {};
      current[key] = child;
      if (stack.length === 0) stack.push(root);
      open(child);
      continue;
    }
    current[key] = value;
  }
  return root;
}

export interface MacProxySettings {
  readonly pacUrl?: string;
  /** Web Proxy Auto-Discovery is on: macOS looks for a PAC script itself; siths-doctor does not. */
  readonly autoDiscovery: boolean;
  readonly http?: string;
  readonly https?: string;
  readonly socks?: string;
  readonly exceptions: readonly string[];
}

export function macProxySettings(tree: ScutilTree): MacProxySettings {
  const text = (key: string): string | undefined => {
    const v = tree[key];
    return typeof v === 'string' && v !== '' && v !== '<NULL>' ? v : undefined;
  };
  const on = (key: string): boolean => text(key) === '1';
  const server = (kind: 'HTTP' | 'HTTPS' | 'SOCKS', defaultPort: number): string | undefined => {
    const host = text(`${kind}Proxy`);
    if (!on(`${kind}Enable`) || !host) return undefined;
    const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return `${shown}:${text(`${kind}Port`) ?? defaultPort}`;
  };
  const list = tree.ExceptionsList;
  const exceptions = typeof list === 'object' ? Object.values(list).filter((v): v is string => typeof v === 'string') : [];
  if (on('ExcludeSimpleHostnames')) exceptions.push('<local>');
  const pacUrl = on('ProxyAutoConfigEnable') ? text('ProxyAutoConfigURLString') : undefined;
  const http = server('HTTP', 80);
  const https = server('HTTPS', 443);
  const socks = server('SOCKS', 1080);
  return {
    ...(pacUrl ? { pacUrl } : {}),
    autoDiscovery: on('ProxyAutoDiscoveryEnable'),
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    ...(socks ? { socks } : {}),
    exceptions,
  };
}
