import { msg, type Localized } from '../i18n/index.js';
import { type Probe, type ProbeContext, type ProbeOutcome } from '../model.js';
import { findNetid, platformOf, type Platform } from '../netid/detect.js';
import type { PlatformFindings } from '../netid/files.js';
import { CARD_SOFTWARE_ALIASES, CARD_SOFTWARE_ID, type NetidDetails, type NetidInstallation } from '../netid/types.js';
import { cardKindsFromCardCert, citeFact, judge, type CardKind } from '../netid/verdict.js';
import { cardCert, judgedCertificates } from './card-cert.js';

/** At most this many places in details.searched: enough to check by hand, short enough to read. */
const MAX_SEARCHED = 60;

const WHERE_LOOKED: Record<Platform, Localized> = {
  windows: msg(
    'registret (SecMaker, Pointsharp, Uninstall: Net iD, SITHS eID, SafeNet Authentication Client), Program Files och System32',
    'the registry (SecMaker, Pointsharp, Uninstall: Net iD, SITHS eID, SafeNet Authentication Client), Program Files and System32',
  ),
  macos: msg('/Applications, ~/Applications och /usr/local/lib', '/Applications, ~/Applications and /usr/local/lib'),
  linux: msg('~/.iid/lib, /usr/lib, /usr/lib64, /usr/local/lib och /opt', '~/.iid/lib, /usr/lib, /usr/lib64, /usr/local/lib and /opt'),
};

export const netidProbe: Probe<NetidDetails> = {
  id: CARD_SOFTWARE_ID,
  aliases: CARD_SOFTWARE_ALIASES,
  title: msg('Kortprogramvara', 'Card software'),
  description: msg(
    'Vilken kortprogramvara som finns (SITHS eID-appen och SAC, Net iD Client, Net iD Enterprise, OpenSC): version, paket och PKCS#11-bibliotek, bedömt mot Ineras krav för kortet i läsaren. --pkcs11-module anger biblioteket själv.',
    "Which card software is installed (the SITHS eID app and SAC, Net iD Client, Net iD Enterprise, OpenSC): version, package and PKCS#11 library, judged against Inera's requirements for the card in the reader. --pkcs11-module names the library instead.",
  ),
  uses: [cardCert.id],
  waitingFor: msg('väntar på sökningen efter kortprogramvara…', 'waiting for the search for card software…'),
  async run(ctx) {
    const option = ctx.options.pkcs11Module;
    if (option !== undefined) return fromOption(ctx, option);
    const platform = platformOf(ctx.system.platform.os);
    // Not a `platforms` declaration: with --pkcs11-module the check applies on any platform.
    if (!platform) {
      return {
        status: 'skip',
        summary: msg(
          `siths-doctor känner ingen kortprogramvara för ${ctx.system.platform.os}; ange ett PKCS#11-bibliotek med --pkcs11-module.`,
          `siths-doctor knows no card software for ${ctx.system.platform.os}; name a PKCS#11 library with --pkcs11-module.`,
        ),
        details: { installations: [], searched: [] },
      };
    }
    return outcomeOf(await findNetid(ctx, platform), platform, cardKindsFromCardCert(judgedCertificates(ctx.resultOf(cardCert)?.details)));
  },
};

async function fromOption(ctx: ProbeContext, file: string): Promise<ProbeOutcome<NetidDetails>> {
  let stat;
  try {
    stat = await ctx.system.fs.stat(file);
  } catch {
    stat = undefined; // unreadable is as good as missing for loading it
  }
  const details: NetidDetails = { installations: [], searched: [file] };
  if (!stat?.isFile) {
    const what = stat ? msg('är inte en fil', 'is not a file') : msg('finns inte', 'does not exist');
    return {
      status: 'fail',
      summary: msg(`PKCS#11-biblioteket som angavs med --pkcs11-module ${what.sv}: ${file}`, `The PKCS#11 library given with --pkcs11-module ${what.en}: ${file}`),
      advice: msg(
        'Kontrollera sökvägen till biblioteket (till exempel eTPKCS11.dll för SAC eller iidp11.dll för Net iD Enterprise). Utan --pkcs11-module letar siths-doctor själv efter kortprogramvara.',
        'Check the path to the library (for example eTPKCS11.dll for SAC or iidp11.dll for Net iD Enterprise). Without --pkcs11-module, siths-doctor looks for card software itself.',
      ),
      details,
    };
  }
  const notPkcs11 = await notAPkcs11Library(ctx, file, stat.size);
  // A warning, not a failure: it must not pass, and netid-token still runs to load it and say exactly why it fails.
  if (notPkcs11) {
    return {
      status: 'warn',
      summary: msg(
        `Filen som angavs med --pkcs11-module är inget PKCS#11-bibliotek (${notPkcs11.sv}): ${file}`,
        `The file given with --pkcs11-module is not a PKCS#11 library (${notPkcs11.en}): ${file}`,
      ),
      advice: msg(
        'Ange kortprogrammets PKCS#11-bibliotek (till exempel iidp11.dll för Net iD Enterprise, eTPKCS11.dll för SafeNet), inte ett annat bibliotek eller en certifikatfil.',
        "Name the card software's PKCS#11 library (for example iidp11.dll for Net iD Enterprise, eTPKCS11.dll for SafeNet), not another library or a certificate file.",
      ),
      details: { ...details, pkcs11Library: file, pkcs11LibrarySource: 'option' },
    };
  }
  return {
    status: 'pass',
    summary: msg(`Använder PKCS#11-biblioteket från --pkcs11-module: ${file}`, `Using the PKCS#11 library from --pkcs11-module: ${file}`),
    notes: [msg('Ingen sökning efter kortprogramvara: biblioteket angavs på kommandoraden.', 'No search for card software: the library was given on the command line.')],
    details: { ...details, pkcs11Library: file, pkcs11LibrarySource: 'option' },
  };
}

function outcomeOf(findings: PlatformFindings, platform: Platform, kinds: readonly CardKind[] | undefined): ProbeOutcome<NetidDetails> {
  const { installations } = findings;
  const judgedFor = kinds ?? (['siths', 'efos'] as const);
  const verdict = judge(installations, judgedFor, platform);
  const primary = verdict.primary;
  const notes = [
    ...installations.map(installationLine),
    ...findings.notes,
    ...(kinds ? [] : [msg('Kortet lästes inte (card-cert kördes inte): bedömt för både SITHS- och Efos-kort.', 'The card was not read (card-cert did not run): judged for both SITHS and Efos cards.')]),
    ...verdict.notes,
    ...verdict.facts.map(citeFact),
  ];
  const details: NetidDetails = {
    ...(primary ? flatten(primary) : {}),
    judgedFor,
    installations,
    searched: findings.searched.slice(0, MAX_SEARCHED),
  };

  if (installations.length === 0 && findings.incomplete) {
    return {
      status: 'error',
      summary: msg('Kunde inte avgöra vilken kortprogramvara som finns: registret gick inte att läsa.', 'Could not tell which card software is installed: the registry could not be read.'),
      advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
      agentHint: msg('Kör igen med --verbose för att se mer.', 'Run again with --verbose to see more.'),
      notes,
      details,
    };
  }
  if (installations.length === 0) {
    return {
      status: 'fail',
      summary: msg(`${verdict.summary.sv} (Letade i ${WHERE_LOOKED[platform].sv}.)`, `${verdict.summary.en} (Looked in ${WHERE_LOOKED[platform].en}.)`),
      ...(verdict.advice ? { advice: verdict.advice } : {}),
      ...(verdict.agentHint ? { agentHint: verdict.agentHint } : {}),
      notes,
      details,
    };
  }
  return { status: verdict.status, summary: verdict.summary, ...(verdict.advice ? { advice: verdict.advice } : {}), ...(verdict.agentHint ? { agentHint: verdict.agentHint } : {}), notes, details };
}

function flatten(i: NetidInstallation): Partial<NetidDetails> {
  return {
    product: i.product,
    productName: i.productName,
    ...(i.version ? { version: i.version } : {}),
    ...(i.installPath ? { installPath: i.installPath } : {}),
    ...(i.pkcs11Library ? { pkcs11Library: i.pkcs11Library, pkcs11LibrarySource: 'search' as const } : {}),
  };
}

function installationLine(i: NetidInstallation): Localized {
  const pkg = i.package === 'md' ? 'MD (SAC minidriver)' : i.package === 'sac-pkcs11' ? 'SAC PKCS#11' : undefined;
  const parts = [i.version ? `${i.productName} ${i.version}` : i.productName, pkg, i.installPath, i.pkcs11Library ? `PKCS#11: ${i.pkcs11Library}` : undefined];
  const text = parts.filter(Boolean).join(' · ');
  return msg(`${text} (hittat via ${i.foundBy.join(', ')})`, `${text} (found by ${i.foundBy.join(', ')})`);
}

/** Shared libraries are a few MiB; reading more than this to look for one symbol name is not worth it. */
const MAX_LIBRARY_BYTES = 64 * 1024 * 1024;

/**
 * Without loading it (that is netid-token's job, in a child process): a
 * PKCS#11 library is a shared library (ELF, PE or Mach-O) that exports
 * C_GetFunctionList, whose name is in its symbol or export table. Anything
 * else (a PEM file, another library) must not pass as one.
 */
async function notAPkcs11Library(ctx: ProbeContext, file: string, size: number): Promise<Localized | undefined> {
  if (size > MAX_LIBRARY_BYTES) return undefined;
  let bytes: Buffer;
  try {
    bytes = await ctx.system.fs.readFile(file);
  } catch {
    return msg('går inte att läsa', 'cannot be read');
  }
  const elf = bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  const pe = bytes.subarray(0, 2).toString('latin1') === 'MZ';
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  const machO = [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
  if (!elf && !pe && !machO) return msg('inget programbibliotek alls', 'not a shared library at all');
  if (!bytes.includes('C_GetFunctionList')) return msg('biblioteket saknar C_GetFunctionList', 'the library has no C_GetFunctionList');
  return undefined;
}
