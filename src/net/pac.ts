import { packageData } from '../native/sea-asset.js';
import { isIP } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { durationText } from '../i18n/duration.js';
import { msg, type Localized } from '../i18n/index.js';
import { NetError } from './errors.js';
import { explainNetError } from './explain.js';
import { inIpv4Net } from './ipv4.js';
import { once, untilAborted } from './memo.js';
import { ProxyConfigError, parseProxyUrl } from './proxy-url.js';
import type { ProxyResolutionContext } from './proxy.js';
import { trustedRoots } from './trust.js';
import { locationForDisplay, type ProxyDecision, type ProxySource } from './types.js';


/** PAC scripts are small; anything bigger is not one. */
export const MAX_PAC_BYTES = 1024 * 1024;
/** The sandbox's heap: plenty for a PAC script, a wall for one that allocates without end. */
const PAC_MEMORY_BYTES = 16 * 1024 * 1024;

export const isRemotePac = (location: string): boolean => /^https?:\/\//i.test(location);

/**
 * The script at `location` (http(s) URL, file: URL or path), fetched once per
 * run and shared by every check that asks. Fetched directly, never through a
 * proxy, as browsers do; bounded by the per-operation time limit.
 */
export function loadPac(ctx: ProxyResolutionContext, location: string): Promise<string> {
  const work = once(ctx.system, `pac:${location}`, () => (isRemotePac(location) ? fetchPac(ctx, location) : readPacFile(ctx, location)));
  return untilAborted(work, ctx.signal);
}

async function fetchPac(ctx: ProxyResolutionContext, location: string): Promise<string> {
  const shown = locationForDisplay(location);
  const cannot = (why: Localized): ProxyConfigError =>
    new ProxyConfigError(
      msg(`Proxyskriptet (PAC) ${shown} gick inte att hämta: ${why.sv}.`, `The proxy auto-config (PAC) script ${shown} could not be fetched: ${why.en}.`),
    );
  let response;
  try {
    response = await ctx.system.net.request({
      url: new URL(location),
      resolve: ctx.options.resolve,
      ca: await trustedRoots(ctx),
      timeoutMs: ctx.timeoutMs,
      signal: AbortSignal.timeout(ctx.timeoutMs * 2),
      maxBodyBytes: MAX_PAC_BYTES,
    });
  } catch (err) {
    if (err instanceof NetError) throw cannot(explainNetError(err, ctx).cause);
    throw err;
  }
  if (response.status < 200 || response.status > 299) throw cannot(msg(`servern svarade ${response.status}`, `the server answered ${response.status}`));
  if (response.bodyTruncated) throw cannot(msg('filen är större än 1 MiB', 'the file is larger than 1 MiB'));
  return response.body.toString('utf8');
}

async function readPacFile(ctx: ProxyResolutionContext, location: string): Promise<string> {
  const cannot = (why: Localized): ProxyConfigError =>
    new ProxyConfigError(msg(`Proxyskriptet (PAC) ${location} gick inte att läsa: ${why.sv}.`, `The proxy auto-config (PAC) script ${location} could not be read: ${why.en}.`));
  let file = location;
  if (/^file:/i.test(location)) {
    try {
      file = fileURLToPath(location);
    } catch {
      throw cannot(msg('det är ingen giltig file:-adress', 'it is not a valid file: URL'));
    }
  }
  const stat = await ctx.system.fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    throw cannot(msg(err.code ?? err.message, err.code ?? err.message));
  });
  if (!stat?.isFile) throw cannot(msg('filen finns inte', 'the file does not exist'));
  if (stat.size > MAX_PAC_BYTES) throw cannot(msg('filen är större än 1 MiB', 'the file is larger than 1 MiB'));
  return (await ctx.system.fs.readFile(file)).toString('utf8');
}

/** Per run (keyed by its System): the PAC scripts that ran out of time, with the error they ended in. */
const timedOutScripts = new WeakMap<object, Map<string, ProxyConfigError>>();

/**
 * Run FindProxyForURL for `target` in a QuickJS sandbox (WebAssembly: no
 * access to the host), limited in time and memory. A script that throws,
 * loops or returns nonsense becomes a ProxyConfigError saying so.
 */
export async function evaluatePac(ctx: ProxyResolutionContext, script: string, location: string, target: URL): Promise<string> {
  // Loaded on first use: they take a noticeable part of a second to import, and most runs have no PAC script.
  // The time limit counts from here, the loading of the sandbox included, so a slow start cannot push the
  // evaluation past the check's own budget (which would end it as an unexplained "stopped after N s").
  const started = performance.now();
  const [{ createPacResolver }, { QuickJS }] = await Promise.all([import('pac-resolver'), import('quickjs-wasi')]);
  // A script that ran out of time once will again: fail at once for every later check of the run,
  // instead of each one waiting its own --timeout (a looping PAC made `check` last about twice as long).
  const runOutOfTime = timedOutScripts.get(ctx.system)?.get(location);
  if (runOutOfTime) throw runOutOfTime;
  const remember = (err: ProxyConfigError): ProxyConfigError => {
    let scripts = timedOutScripts.get(ctx.system);
    if (!scripts) timedOutScripts.set(ctx.system, (scripts = new Map()));
    scripts.set(location, err);
    return err;
  };
  const limitMs = ctx.timeoutMs;
  const deadline = started + limitMs;
  // The WebAssembly module is handed over: bundled, quickjs-wasi cannot find it beside itself.
  const wasm = await packageData('quickjs.wasm', 'quickjs-wasi', '../quickjs.wasm');
  const vm = await QuickJS.create({ wasm, interruptHandler: () => performance.now() > deadline, memoryLimit: PAC_MEMORY_BYTES });
  const sandbox = pacSandbox(ctx, deadline);
  const shown = locationForDisplay(location);
  const failed = (why: Localized): ProxyConfigError =>
    new ProxyConfigError(
      msg(`Proxyskriptet (PAC) ${shown} fungerar inte för ${target.hostname}: ${why.sv}.`, `The proxy auto-config (PAC) script ${shown} does not work for ${target.hostname}: ${why.en}.`),
    );
  let timer: NodeJS.Timeout | undefined;
  try {
    let findProxyForURL;
    try {
      findProxyForURL = createPacResolver(vm, script, { sandbox: sandbox.functions });
    } catch (err) {
      throw failed(msg(`skriptet har ett fel (${shortMessage(err)})`, `the script has an error (${shortMessage(err)})`));
    }
    // Browsers hand the script only scheme, host and port of an https URL, never the path.
    const url = target.protocol === 'https:' ? `${target.protocol}//${target.host}/` : target.href;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('interrupted')), Math.max(1, deadline - performance.now()));
    });
    let result: unknown;
    try {
      result = await Promise.race([findProxyForURL(url, target.hostname), timedOut]);
      // An answer built on a lookup that never came back is no answer: the run's time went to the resolver.
      if (sandbox.unanswered()) throw new Error('interrupted');
    } catch (err) {
      const text = shortMessage(err);
      const limit = durationText(limitMs);
      const unanswered = sandbox.unanswered();
      if (unanswered) {
        throw remember(
          failed(
            msg(
              `skriptets namnuppslagning (dnsResolve) av ${unanswered} fick inget svar inom ${limit.sv} (DNS)`,
              `the script's name lookup (dnsResolve) of ${unanswered} got no answer within ${limit.en} (DNS)`,
            ),
          ),
        );
      }
      if (/interrupted/i.test(text)) {
        throw remember(
          failed(msg(`skriptet blev inte klart inom ${limit.sv} (det kan loopa för evigt)`, `the script did not finish within ${limit.en} (it may loop forever)`)),
        );
      }
      if (/out of memory/i.test(text)) throw failed(msg('skriptet använder för mycket minne', 'the script uses too much memory'));
      throw failed(msg(`skriptet avbröts med ett fel (${text})`, `the script stopped with an error (${text})`));
    }
    if (typeof result !== 'string') throw failed(msg('skriptet gav ingen proxylista', 'the script returned no proxy list'));
    return result;
  } finally {
    clearTimeout(timer);
    void sandbox.settled().then(() => vm.dispose());
  }
}

/**
 * The PAC functions that touch the outside world, replacing pac-resolver's:
 * DNS goes through the run's --resolve rules and the system resolver with a
 * time limit; myIpAddress reads the local interfaces instead of opening a
 * connection to a public DNS server; alert() prints nothing. Calls still
 * running when the evaluation ends are waited for before the VM is freed.
 */
function pacSandbox(ctx: ProxyResolutionContext, deadline: number) {
  const pending = new Set<Promise<unknown>>();
  let unanswered: string | undefined;
  // Lookups still waiting for the resolver: when time runs out, these are why.
  const waiting = new Set<string>();
  const track = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const call = fn(...args);
      pending.add(call);
      try {
        return await call;
      } finally {
        pending.delete(call);
      }
    };
  const lookupV4 = async (host: unknown): Promise<string | null> => {
    const name = String(host).toLowerCase();
    if (isIP(name) === 4) return name;
    const rule = ctx.options.resolve.find((r) => r.host === name && isIP(r.address) === 4);
    if (rule) return rule.address;
    waiting.add(name);
    const address = await ctx.system.net.lookupIpv4(name, Math.max(1, deadline - performance.now())).finally(() => waiting.delete(name));
    // No answer by the deadline: the resolver is silent, not saying "no such name". The evaluation fails naming it.
    if (address === undefined && performance.now() >= deadline - 1) unanswered ??= name;
    return address ?? null;
  };
  const functions = {
    alert: (): void => undefined,
    myIpAddress: track(async () => localIpv4()),
    dnsResolve: track(lookupV4),
    isResolvable: track(async (host: unknown) => (await lookupV4(host)) !== null),
    isInNet: track(async (host: unknown, pattern: unknown, mask: unknown) => {
      const ip = await lookupV4(host);
      return ip !== null && inIpv4Net(ip, String(pattern), String(mask));
    }),
  };
  return {
    functions,
    unanswered: (): string | undefined => unanswered ?? [...waiting][0],
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      // Let the sandbox's own promise callbacks run before the VM goes away.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function localIpv4(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

function shortMessage(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** One entry of a PAC answer such as "PROXY p:3128; SOCKS s:1080; DIRECT". */
export interface PacEntry {
  readonly type: string;
  readonly hostPort?: string;
}

export function parsePacResult(result: string): PacEntry[] {
  return result
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .filter((words) => words[0] !== '')
    .map(([type = '', hostPort]) => ({ type: type.toUpperCase(), ...(hostPort ? { hostPort } : {}) }));
}

/**
 * The route for a PAC answer: the first entry siths-doctor can use. DIRECT,
 * PROXY and HTTP (an HTTP proxy, port 80 when none is given) and HTTPS (a
 * proxy spoken to over TLS, port 443) are usable; SOCKS is not, and is named
 * in a note when skipped.
 */
export function decisionFromPac(result: string, location: string, pacSource: ProxySource): ProxyDecision {
  const entries = parsePacResult(result);
  const skipped: string[] = [];
  const shown = locationForDisplay(location);
  const base = { source: 'pac' as const, pac: shown, pacSource, pacResult: result.trim() };
  // Every usable entry in order: browsers try the next when a proxy does not answer (src/net/failover.ts).
  const usable: ProxyDecision[] = [];
  for (const entry of entries) {
    const text = `${entry.type}${entry.hostPort ? ` ${entry.hostPort}` : ''}`;
    const notes = skipped.length > 0 && usable.length === 0 ? { notes: [skippedNote(skipped)] } : {};
    if (entry.type === 'DIRECT') usable.push({ mode: 'direct', ...base, ...notes });
    else if ((entry.type === 'PROXY' || entry.type === 'HTTP' || entry.type === 'HTTPS') && entry.hostPort) {
      const scheme = entry.type === 'HTTPS' ? 'https' : 'http';
      const port = /:\d+$/.test(entry.hostPort) ? '' : entry.type === 'HTTPS' ? ':443' : ':80';
      usable.push({ mode: 'http', url: parseProxyUrl(`${scheme}://${entry.hostPort}${port}`, shown), ...base, ...notes });
    } else if (usable.length === 0) skipped.push(text);
  }
  const [first, ...rest] = usable;
  if (first) return rest.length > 0 ? { ...first, fallbacks: rest } : first;
  throw new ProxyConfigError(
    entries.length === 0
      ? msg(`Proxyskriptet (PAC) ${shown} gav ett tomt svar.`, `The proxy auto-config (PAC) script ${shown} gave an empty answer.`)
      : msg(
          `Proxyskriptet (PAC) ${shown} anger bara vägar som inte stöds (${skipped.join('; ')}); siths-doctor kan använda DIRECT, PROXY och HTTPS.`,
          `The proxy auto-config (PAC) script ${shown} offers only routes that are not supported (${skipped.join('; ')}); siths-doctor can use DIRECT, PROXY and HTTPS.`,
        ),
  );
}

function skippedNote(skipped: readonly string[]): Localized {
  return msg(
    `Proxyskriptet anger först ${skipped.join('; ')}, som inte stöds; den vägen hoppades över.`,
    `The PAC script first offers ${skipped.join('; ')}, which is not supported; that route was skipped.`,
  );
}
