import { msg, type Localized } from '../i18n/index.js';
import type { Probe, ProbeContext, ProbeOutcome } from '../model.js';
import { findNetid, platformOf, type Platform } from '../netid/detect.js';
import type { PlatformFindings } from '../netid/files.js';
import type { NetidDetails, NetidInstallation } from '../netid/types.js';

/** At most this many places in details.searched: enough to check by hand, short enough to read. */
const MAX_SEARCHED = 60;

const WHERE_LOOKED: Record<Platform, Localized> = {
  windows: msg('registret (SecMaker, Pointsharp, Uninstall) och Program Files', 'the registry (SecMaker, Pointsharp, Uninstall) and Program Files'),
  macos: msg('/Applications och ~/Applications', '/Applications and ~/Applications'),
  linux: msg('~/.iid/lib, /usr/lib, /usr/lib64, /usr/local/lib och /opt', '~/.iid/lib, /usr/lib, /usr/lib64, /usr/local/lib and /opt'),
};

const INSTALL_ADVICE = msg(
  'Installera Net iD. På jobbet: be IT-avdelningen eller IT-supporten installera den version som din organisation använder för SITHS-kort. ' +
    'Var Net iD laddas ner beskrivs på Ineras webbplats om SITHS (inera.se).',
  "Install Net iD. At work, ask your IT department or service desk to install the version your organisation uses for SITHS cards. " +
    "Where Net iD is downloaded is described on Inera's SITHS pages (inera.se).",
);

/** Inera, "Avveckling och samexistens med Net iD Enterprise" (inera.atlassian.net, IAM space). */
const ENTERPRISE_SUPPORT_NOTE = msg(
  'Inera slutade ge support för Net iD Enterprise inom SITHS-tjänsten 2023-06-30; SITHS eID-appen för Windows ersätter den.',
  'Inera stopped supporting Net iD Enterprise within the SITHS service on 2023-06-30; the SITHS eID app for Windows replaces it.',
);

export const netidProbe: Probe<NetidDetails> = {
  id: 'netid',
  title: msg('Net iD installerat', 'Net iD installed'),
  description: msg(
    'Att Net iD (Enterprise eller Client) är installerat: produkt, version, programmapp och PKCS#11-bibliotek. --pkcs11-module anger biblioteket själv.',
    'That Net iD (Enterprise or Client) is installed: product, version, program folder and PKCS#11 library. --pkcs11-module names the library instead.',
  ),
  async run(ctx) {
    const option = ctx.options.pkcs11Module;
    if (option !== undefined) return fromOption(ctx, option);
    const platform = platformOf(ctx.system.platform.os);
    if (!platform) {
      return {
        status: 'skip',
        summary: msg(
          `Net iD finns inte för ${ctx.system.platform.os}; ange ett PKCS#11-bibliotek med --pkcs11-module.`,
          `Net iD does not exist for ${ctx.system.platform.os}; name a PKCS#11 library with --pkcs11-module.`,
        ),
        details: { installations: [], searched: [] },
      };
    }
    return outcomeOf(await findNetid(ctx, platform), platform);
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
        'Kontrollera sökvägen till biblioteket (till exempel iidp11.dll för Net iD Enterprise). Utan --pkcs11-module letar siths-doctor själv efter Net iD.',
        'Check the path to the library (for example iidp11.dll for Net iD Enterprise). Without --pkcs11-module, siths-doctor looks for Net iD itself.',
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
    notes: [msg('Ingen sökning efter Net iD: biblioteket angavs på kommandoraden.', 'No search for Net iD: the library was given on the command line.')],
    details: { ...details, pkcs11Library: file, pkcs11LibrarySource: 'option' },
  };
}

function outcomeOf(findings: PlatformFindings, platform: Platform): ProbeOutcome<NetidDetails> {
  const { installations } = findings;
  const primary = installations.find((i) => i.pkcs11Library) ?? installations[0];
  const notes = [
    ...installations.map(installationLine),
    ...findings.notes,
    ...(installations.some((i) => i.product === 'enterprise') ? [ENTERPRISE_SUPPORT_NOTE] : []),
  ];
  const details: NetidDetails = {
    ...(primary ? flatten(primary) : {}),
    installations,
    searched: findings.searched.slice(0, MAX_SEARCHED),
  };

  if (!primary) {
    if (findings.incomplete) {
      return {
        status: 'error',
        summary: msg('Kunde inte avgöra om Net iD är installerat: registret gick inte att läsa.', 'Could not tell whether Net iD is installed: the registry could not be read.'),
        advice: msg(
          'Kör igen. Om det upprepas, kör med --verbose och skicka rapporten till IT.',
          'Run again. If it repeats, run with --verbose and send the report to IT.',
        ),
        notes,
        details,
      };
    }
    return {
      status: 'fail',
      summary: msg(`Net iD är inte installerat (letade i ${WHERE_LOOKED[platform].sv}).`, `Net iD is not installed (looked in ${WHERE_LOOKED[platform].en}).`),
      advice: INSTALL_ADVICE,
      notes,
      details,
    };
  }

  const what = describe(primary);
  if (!primary.pkcs11Library) {
    return {
      status: 'warn',
      summary: msg(`${what.sv}, men dess PKCS#11-bibliotek hittades inte.`, `${what.en}, but its PKCS#11 library was not found.`),
      advice: msg(
        'Net iD verkar vara ofullständigt installerat: be IT reparera eller installera om Net iD. Ligger biblioteket på ett ovanligt ställe kan du ange det med --pkcs11-module SÖKVÄG.',
        'Net iD looks incompletely installed: ask IT to repair or reinstall Net iD. If the library is in an unusual place, name it with --pkcs11-module PATH.',
      ),
      notes,
      details,
    };
  }
  return {
    status: 'pass',
    summary: msg(`${what.sv}; PKCS#11-bibliotek: ${primary.pkcs11Library}`, `${what.en}; PKCS#11 library: ${primary.pkcs11Library}`),
    notes,
    details,
  };
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

/** "Net iD Client 1.4.2 is installed in C:\Program Files\Net iD\Client" */
function describe(i: NetidInstallation): Localized {
  const sv = `${i.productName} ${i.version ?? '(version okänd)'} är installerat${i.installPath ? ` i ${i.installPath}` : ''}`;
  const en = `${i.productName} ${i.version ?? '(version unknown)'} is installed${i.installPath ? ` in ${i.installPath}` : ''}`;
  return msg(sv, en);
}

function installationLine(i: NetidInstallation): Localized {
  const parts = [i.version ? `${i.productName} ${i.version}` : i.productName, i.installPath, i.pkcs11Library ? `PKCS#11: ${i.pkcs11Library}` : undefined];
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
