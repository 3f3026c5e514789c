import { spawn, execFileSync } from 'node:child_process';
import { accessSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prerequisite } from './prereq.js';
import { stopChild, waitForListening } from './children.js';
import { freePort } from './ports.js';

export const SQUID_PREREQUISITES: readonly Prerequisite[] = [
  { need: 'squid', debianPackage: 'squid-openssl' },
  { need: '/usr/lib/squid/security_file_certgen', debianPackage: 'squid-openssl' },
  { need: '/usr/lib/squid/basic_ncsa_auth', debianPackage: 'squid-openssl' },
  { need: 'openssl', debianPackage: 'openssl' },
];

export interface SquidOptions {
  /** The "organisation" CA squid signs forged certificates with: certificate and key, PEM. */
  readonly inspectionCa: { readonly certPem: string; readonly keyPem: string };
  /** Roots squid trusts towards servers (the stand-in IdP's root). */
  readonly trustCaFile: string;
  /** Names squid resolves itself (hosts_file), e.g. the IdP name to 127.0.0.1. */
  readonly hosts: Readonly<Record<string, string>>;
  /** The one user the authenticating port accepts. */
  readonly user: { readonly name: string; readonly password: string };
}

/** One squid, five faces, each on its own port. */
export interface Squid {
  readonly ports: {
    /** ssl-bump: decrypts and re-signs with the inspection CA (an inspecting proxy). */
    readonly bump: number;
    /** ssl-bump that also asks the client for a certificate, naming only its own CA (`clientca=`). */
    readonly bumpClientCa: number;
    /** ssl-bump port with a splice rule: peeks at SNI, then only tunnels. */
    readonly splice: number;
    /** A plain CONNECT proxy. */
    readonly tunnel: number;
    /** CONNECT only with Basic credentials (407 otherwise). */
    readonly auth: number;
    /** Refuses every CONNECT (403). */
    readonly deny: number;
  };
  readonly dir: string;
  /** squid's cache.log, for failure messages. */
  log(): string;
  /** The targets of the CONNECT requests squid has logged as done (access.log), in order. */
  connectTargets(): string[];
  stop(): Promise<void>;
}

function squidBinary(): string {
  for (const candidate of ['/usr/sbin/squid', '/usr/bin/squid']) {
    try {
      accessSync(candidate);
      return candidate;
    } catch {
      // try the next
    }
  }
  return 'squid';
}

/**
 * Start a private squid in the foreground: its own config, ports, pid file,
 * logs and certificate database in a temp dir. As root squid drops to user
 * `proxy`, so the dir is made readable (and the DB writable) for it.
 */
export async function startSquid(options: SquidOptions): Promise<Squid> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siths-squid-'));
  const ports = { bump: await freePort(), bumpClientCa: await freePort(), splice: await freePort(), tunnel: await freePort(), auth: await freePort(), deny: await freePort() };
  const file = (name: string) => path.join(dir, name);
  writeFileSync(file('inspection-ca.pem'), options.inspectionCa.certPem + options.inspectionCa.keyPem);
  writeFileSync(file('inspection-ca.crt'), options.inspectionCa.certPem);
  writeFileSync(file('hosts'), Object.entries(options.hosts).map(([name, address]) => `${address} ${name}`).join('\n') + '\n');
  const hash = execFileSync('openssl', ['passwd', '-apr1', options.user.password], { encoding: 'utf8' }).trim();
  writeFileSync(file('passwd'), `${options.user.name}:${hash}\n`);
  execFileSync('/usr/lib/squid/security_file_certgen', ['-c', '-s', file('ssl_db'), '-M', '4MB'], { stdio: 'ignore' });
  const asRoot = process.getuid?.() === 0;
  const bumpCert = `tls-cert=${file('inspection-ca.pem')} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB`;
  writeFileSync(
    file('squid.conf'),
    [
      `http_port 127.0.0.1:${ports.bump} ssl-bump ${bumpCert} name=bump`,
      `http_port 127.0.0.1:${ports.bumpClientCa} ssl-bump ${bumpCert} clientca=${file('inspection-ca.crt')} name=bumpClientCa`,
      `http_port 127.0.0.1:${ports.splice} ssl-bump ${bumpCert} name=splice`,
      `http_port 127.0.0.1:${ports.tunnel} name=tunnel`,
      `http_port 127.0.0.1:${ports.auth} name=auth`,
      `http_port 127.0.0.1:${ports.deny} name=deny`,
      `sslcrtd_program /usr/lib/squid/security_file_certgen -s ${file('ssl_db')} -M 4MB`,
      'sslcrtd_children 2 startup=1 idle=1',
      `tls_outgoing_options cafile=${options.trustCaFile}`,
      'acl step1 at_step SslBump1',
      'acl splicePort myportname splice',
      'ssl_bump peek step1',
      'ssl_bump splice splicePort',
      'ssl_bump bump all',
      `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${file('passwd')}`,
      'auth_param basic children 1 startup=1 idle=1',
      'auth_param basic realm siths-doctor-test',
      'acl authPort myportname auth',
      'acl denyPort myportname deny',
      'acl authed proxy_auth REQUIRED',
      'http_access deny denyPort',
      'http_access deny authPort !authed',
      'http_access allow localhost',
      'http_access deny all',
      `hosts_file ${file('hosts')}`,
      'cache deny all',
      `pid_filename ${file('squid.pid')}`,
      `cache_log ${file('cache.log')}`,
      `access_log ${file('access.log')}`,
      `coredump_dir ${dir}`,
      'netdb_filename none',
      'pinger_enable off',
      'shutdown_lifetime 0 seconds',
      ...(asRoot ? ['cache_effective_user proxy'] : []),
    ].join('\n') + '\n',
  );
  // squid runs as `proxy` when started as root: it must read everything here and write its logs and DB.
  execFileSync('chmod', ['-R', 'a+rwX', dir]);
  chmodSync(dir, 0o777);
  const child = spawn(squidBinary(), ['-N', '-f', file('squid.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const log = (): string => {
    try {
      return output + readFileSync(file('cache.log'), 'utf8');
    } catch {
      return output;
    }
  };
  const connectTargets = (): string[] => {
    let lines: string[];
    try {
      lines = readFileSync(file('access.log'), 'utf8').split('\n');
    } catch {
      return [];
    }
    // Native format: time elapsed client code/status bytes method URL user hierarchy type.
    return lines.map((line) => line.trim().split(/\s+/)).flatMap((f) => (f[5] === 'CONNECT' && f[6] ? [f[6]] : []));
  };
  const stop = (): Promise<void> => stopChild(child).then(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitForListening(child, Object.values(ports), 'squid', 15_000);
  } catch (err) {
    const text = log();
    await stop();
    throw new Error(`squid did not start: ${(err as Error).message}\n${text}`);
  }
  return { ports, dir, log, connectTargets, stop };
}
