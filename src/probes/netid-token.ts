import { durationText } from '../i18n/duration.js';
import { msg, same, type Localized } from '../i18n/index.js';
import type { Probe, ProbeOutcome } from '../model.js';
import { tokenOutcome, type NetidTokenDetails } from '../netid/token-outcome.js';
import { cardProbe } from './card.js';
import { netidProbe } from './netid.js';
import type { Pkcs11Inspection } from '../pkcs11/inspector.js';

export const netidTokenProbe: Probe<NetidTokenDetails> = {
  id: 'netid-token',
  title: msg('Kortprogramvaran ser kortet', 'The card software sees the card'),
  description: msg(
    'Laddar PKCS#11-biblioteket från den kortprogramvara som finns (SAC där SITHS eID-appen finns, Net iD:s där Net iD finns, OpenSC på Linux) i en egen process, säger vilken den frågade, och listar kortplatser, kort och de certifikat som syns utan inloggning (aldrig PIN-kod). Jämför med kortläsarkontrollen när den körs.',
    "Loads the PKCS#11 library of the card software that is installed (SAC where the SITHS eID app is, Net iD's where Net iD is, OpenSC on Linux) in a process of its own, says which one it asked, and lists slots, cards and the certificates visible without logging in (never a PIN). Compares with the card reader check when it runs.",
  ),
  dependsOn: [netidProbe.id],
  uses: [cardProbe.id],
  waitingFor: msg('väntar på att kortprogramvaran ska svara…', 'waiting for the card software to answer…'),
  // The PKCS#11 child starts while the card checks run: the library is not known yet, but starting is most of its time.
  prepare: (system) => system.pkcs11.prepare?.(system.env) ?? (() => undefined),
  async run(ctx) {
    const netid = ctx.resultOf(netidProbe)?.details;
    const library = netid?.pkcs11Library;
    if (!library) {
      return {
        status: 'skip',
        summary: msg('Kontrollerades inte: inget PKCS#11-bibliotek att ladda (se ”Kortprogramvara”).', 'Skipped: no PKCS#11 library to load (see “Card software”).'),
        details: { skipReason: 'no-library' },
      };
    }
    // The product name of the middleware asked; a library given with --pkcs11-module may be anything.
    const who = netid.productName ? msg(netid.productName, netid.productName) : msg('PKCS#11-biblioteket', 'The PKCS#11 library');
    const middleware = { ...(netid.product ? { product: netid.product } : {}), name: netid.productName ?? 'PKCS#11' };
    const inspection = await ctx.system.pkcs11(library, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, env: ctx.system.env });
    const outcome = inspection.kind === 'ok' ? tokenOutcome(library, inspection.report, who, ctx.resultOf(cardProbe)?.details?.cards) : failureOutcome(library, inspection, who);
    const asked = msg(`Frågade ${middleware.name}: ${library}`, `Asked ${middleware.name}: ${library}`);
    return { ...outcome, notes: [asked, ...(outcome.notes ?? [])], details: { ...outcome.details, middleware } };
  },
};

function failureOutcome(library: string, inspection: Exclude<Pkcs11Inspection, { kind: 'ok' }>, who: Localized): ProbeOutcome<NetidTokenDetails> {
  const reinstall = msg(
    'Be IT reparera eller installera om kortprogramvaran. Angav du biblioteket med --pkcs11-module: kontrollera att det är ett PKCS#11-bibliotek.',
    'Ask IT to repair or reinstall the card software. If you named the library with --pkcs11-module, check that it is a PKCS#11 library.',
  );
  const restartFirst = (sv: string, en: string): Localized => msg(`${sv} ${reinstall.sv}`, `${en} ${reinstall.en}`);
  switch (inspection.kind) {
    case 'binding-missing':
      return {
        status: 'skip',
        summary: msg(
          'Kontrollerades inte: siths-doctors del för att anropa PKCS#11-bibliotek (koffi) går inte att läsa in.',
          'Not checked: siths-doctor’s part for calling PKCS#11 libraries (koffi) cannot be loaded.',
        ),
        advice: msg(
          'Installera om siths-doctor (samma version, från npm eller som fristående fil) och kör igen.',
          'Reinstall siths-doctor (the same version, from npm or as the standalone file) and run again.',
        ),
        notes: [same(`koffi: ${inspection.message}`)],
        details: { library, skipReason: 'component-missing', component: 'koffi', error: inspection.message },
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
        advice: restartFirst('Starta om datorn så att kortprogramvarans tjänst startar om. Kvarstår felet:', "Restart the computer so that the card software's service restarts. If the error remains:"),
        details: { library, stage: inspection.stage, error: inspection.message },
      };
    case 'timed-out': {
      const limit = durationText(inspection.timeoutMs);
      const where = inspection.stage ? msg(` (den fastnade i ${inspection.stage})`, ` (it was stuck in ${inspection.stage})`) : msg('', '');
      return {
        status: 'error',
        summary: msg(`${who.sv} svarade inte inom ${limit.sv}${where.sv}.`, `${who.en} did not answer within ${limit.en}${where.en}.`),
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
