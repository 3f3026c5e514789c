import { msg, pick, pickAll, type Lang, type Localized, type Picked } from '../i18n/index.js';

/** The help texts of the built-in commands. Commands added later keep theirs in their own file. */
const HELP = {
  program: msg(
    'Felsöker inloggning med SITHS- och Efos-kort: kortläsare, kort, Net iD, certifikatet på kortet, proxy och TLS-inspektion, SITHS testsida.\nUtan kommando körs alla kontroller (samma som ”check”).',
    'Finds out why a SITHS or Efos smart-card login fails: card reader, card, Net iD, the certificate on the card, proxy and TLS inspection, the SITHS test page.\nWithout a command it runs every check (same as “check”).',
  ),
  programAfter: msg(
    `
Exempel:
  siths-doctor                         kör alla kontroller
  siths-doctor check reader card       bara kortläsare och kort (och det de kräver)
  siths-doctor --format json           JSON för skript och övervakning
  siths-doctor explain 222-J3A-U2Z     vad betyder supportkoden som användaren läste upp?

Slutkoder:
  0  inga kontroller misslyckades (varningar är tillåtna)
  1  minst en kontroll misslyckades eller kunde inte genomföras
  2  felaktig användning: okänd flagga eller kontroll, fil som inte går att läsa eller skriva
  3  siths-doctor själv gick sönder (rapportera det)`,
    `
Examples:
  siths-doctor                         run every check
  siths-doctor check reader card       only reader and card (and what they need)
  siths-doctor --format json           JSON for scripts and monitoring
  siths-doctor explain 222-J3A-U2Z     what does the support code the caller read out mean?

Exit codes:
  0  no check failed (warnings allowed)
  1  at least one check failed or could not complete
  2  bad usage: unknown option or check, a file that cannot be read or written
  3  siths-doctor itself broke (please report it)`,
  ),
  helpOption: msg('visa hjälpen', 'show this help'),
  helpCommand: msg('visa hjälp för ett kommando', 'show help for a command'),
  versionOption: msg('visa versionen', 'show the version'),
  check: msg('kör de namngivna kontrollerna och det de kräver (alla om inga anges)', 'run the named checks and what they need (all when none are named)'),
  checkIds: msg('id för kontrollerna, se ”siths-doctor list-checks”', 'check ids, see “siths-doctor list-checks”'),
  checkAfter: msg(
    `
Exempel:
  siths-doctor check card-cert         kortets certifikat (kör också pcsc-service, reader och card)
  siths-doctor check --skip netid      allt utom Net iD`,
    `
Examples:
  siths-doctor check card-cert         the card's certificates (also runs pcsc-service, reader and card)
  siths-doctor check --skip netid      everything but Net iD`,
  ),
  skip: msg('hoppa över dessa kontroller (kommaseparerade, eller flaggan flera gånger)', 'skip these checks (comma-separated, or repeat the option)'),
  listChecks: msg('lista kontrollerna: id, vad de kontrollerar och vad de kräver', 'list the checks: id, what each checks and what it needs'),
  explain: msg('översätt en supportkod till utfallet för varje kontroll', 'decode a support code into the outcome of every check'),
  explainCode: msg('supportkoden, med eller utan bindestreck', 'the support code, with or without dashes'),
  explainAfter: msg(
    `
Supportkoden står sist i varje rapport. Den består av tecknen 2-9 A J K R U W X Z
(aldrig 0, 1, O eller I) och har ett kontrolltecken, så ett felhört tecken upptäcks.`,
    `
The support code ends every report. It uses the symbols 2-9 A J K R U W X Z
(never 0, 1, O or I) and ends in a check symbol, so a misheard symbol is caught.`,
  ),
} satisfies Record<string, Localized>;

export type HelpTexts = Picked<typeof HELP>;

export function helpTexts(lang: Lang): HelpTexts {
  return pickAll(HELP, lang);
}

/** Commander's section titles (its English text is the key), in our words. */
const HELP_TITLES: Readonly<Record<string, Localized>> = {
  'Usage:': msg('Användning:', 'Usage:'),
  'Options:': msg('Flaggor:', 'Options:'),
  'Commands:': msg('Kommandon:', 'Commands:'),
  'Arguments:': msg('Argument:', 'Arguments:'),
  'Global Options:': msg('Globala flaggor:', 'Global Options:'),
};

export function translateHelpTitle(title: string, lang: Lang): string {
  const text = HELP_TITLES[title];
  return text ? pick(text, lang) : title;
}
