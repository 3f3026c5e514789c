import { msg, type Localized } from '../i18n/index.js';
import type { Probe, ProbeOutcome } from '../model.js';
import { cardsFromCardProbe, tokenOutcome, type NetidTokenDetails } from '../netid/token-outcome.js';
import { netidDetailsOf } from '../netid/types.js';
import type { Pkcs11Inspection } from '../pkcs11/inspector.js';

export const netidTokenProbe: Probe<NetidTokenDetails> = {
  id: 'netid-token',
  title: msg('Net iD ser kortet', 'Net iD sees the card'),
  description: msg(
    'Laddar Net iD:s PKCS#11-bibliotek i en egen process och listar kortplatser, kort och de certifikat som syns utan inloggning (aldrig PIN-kod). Jämför med kortläsarkontrollen när den körs.',
    "Loads Net iD's PKCS#11 library in a process of its own and lists slots, cards and the certificates visible without logging in (never a PIN). Compares with the card reader check when it runs.",
  ),
  dependsOn: ['netid'],
  uses: ['card'],
  async run(ctx) {
    const netid = netidDetailsOf(ctx.results);
    const library = netid?.pkcs11Library;
    if (!library) {
      return {
        status: 'skip',
        summary: msg('Hoppades över: inget PKCS#11-bibliotek att ladda (se ”Net iD installerat”).', 'Skipped: no PKCS#11 library to load (see “Net iD installed”).'),
        details: { skipReason: 'no-library' },
      };
    }
    // The product name when the library is Net iD's; a library given with --pkcs11-module may be anything.
    const who = netid.productName ? msg(netid.productName, netid.productName) : msg('PKCS#11-biblioteket', 'The PKCS#11 library');
    const inspection = await ctx.system.pkcs11(library, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env: ctx.system.env });
    if (inspection.kind === 'ok') return tokenOutcome(library, inspection.report, who, cardsFromCardProbe(ctx.results));
    return failureOutcome(library, inspection, who);
  },
};

function failureOutcome(library: string, inspection: Exclude<Pkcs11Inspection, { kind: 'ok' }>, who: Localized): ProbeOutcome<NetidTokenDetails> {
  const reinstall = msg(
    'Be IT reparera eller installera om Net iD. Angav du biblioteket med --pkcs11-module: kontrollera att det är ett PKCS#11-bibliotek.',
    'Ask IT to repair or reinstall Net iD. If you named the library with --pkcs11-module, check that it is a PKCS#11 library.',
  );
  const restartFirst = (sv: string, en: string): Localized => msg(`${sv} ${reinstall.sv}`, `${en} ${reinstall.en}`);
  switch (inspection.kind) {
    case 'binding-missing':
      return {
        status: 'skip',
        summary: msg(
          'Kontrollerades inte: siths-doctor saknar sin PKCS#11-del (paketet pkcs11js är inte installerat eller laddar inte).',
          'Not checked: siths-doctor lacks its PKCS#11 part (the pkcs11js package is not installed or does not load).',
        ),
        advice: msg(
          'Installera den med ”npm install pkcs11js” i siths-doctors mapp; den byggs vid installationen och kräver C++-byggverktyg (Windows: Visual Studio Build Tools).',
          'Install it with “npm install pkcs11js” in siths-doctor’s folder; it is built at install time and needs C++ build tools (Windows: Visual Studio Build Tools).',
        ),
        notes: [msg(`pkcs11js: ${inspection.message}`, `pkcs11js: ${inspection.message}`)],
        details: { library, skipReason: 'component-missing', component: 'pkcs11js', error: inspection.message },
      };
    case 'load-failed':
      return {
        status: 'fail',
        summary: msg(`${library} går inte att ladda som PKCS#11-bibliotek: ${inspection.message}`, `${library} does not load as a PKCS#11 library: ${inspection.message}`),
        advice: reinstall,
        details: { library, stage: 'load-library', error: inspection.message },
      };
    case 'pkcs11-error':
      return {
        status: 'fail',
        summary: msg(`${who.sv} svarade med ett fel i ${inspection.stage}: ${inspection.message}`, `${who.en} answered with an error in ${inspection.stage}: ${inspection.message}`),
        advice: restartFirst('Starta om datorn så att Net iD:s tjänst startar om. Kvarstår felet:', "Restart the computer so that Net iD's service restarts. If the error remains:"),
        details: { library, stage: inspection.stage, error: inspection.message },
      };
    case 'timed-out': {
      const seconds = (inspection.timeoutMs / 1000).toFixed(inspection.timeoutMs % 1000 === 0 ? 0 : 1);
      const where = inspection.stage ? msg(` (den fastnade i ${inspection.stage})`, ` (it was stuck in ${inspection.stage})`) : msg('', '');
      return {
        status: 'error',
        summary: msg(`${who.sv} svarade inte inom ${seconds} s${where.sv}.`, `${who.en} did not answer within ${seconds} s${where.en}.`),
        advice: restartFirst('Starta om datorn och kör igen. Hänger det igen:', 'Restart the computer and run again. If it hangs again:'),
        details: { library, timedOut: true, ...(inspection.stage ? { stage: inspection.stage } : {}) },
      };
    }
    case 'crashed': {
      const how = inspection.signal ? inspection.signal : `exit code ${inspection.exitCode ?? '?'}`;
      const where = inspection.stage ? msg(` i ${inspection.stage}`, ` in ${inspection.stage}`) : msg('', '');
      return {
        status: 'fail',
        summary: msg(`${who.sv} kraschade${where.sv} (${how}).`, `${who.en} crashed${where.en} (${how}).`),
        advice: reinstall,
        notes: inspection.stderr ? [msg(inspection.stderr.split('\n')[0]!, inspection.stderr.split('\n')[0]!)] : [],
        details: {
          library,
          ...(inspection.stage ? { stage: inspection.stage } : {}),
          ...(inspection.signal ? { signal: inspection.signal } : {}),
          ...(inspection.stderr ? { error: inspection.stderr.slice(0, 500) } : {}),
        },
      };
    }
    case 'failed':
      return {
        status: 'error',
        summary: msg(`Kunde inte undersöka PKCS#11-biblioteket: ${inspection.message}`, `Could not examine the PKCS#11 library: ${inspection.message}`),
        advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
        agentHint: msg('Kör igen med --verbose för att se mer.', 'Run again with --verbose to see more.'),
        details: { library, error: inspection.message },
      };
    case 'aborted':
      return {
        status: 'error',
        summary: msg('Kontrollen avbröts.', 'The check was interrupted.'),
        details: { library },
      };
  }
}
