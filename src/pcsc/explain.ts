import { msg, type Localized } from '../i18n/index.js';
import { remedy } from '../model.js';
import type { PcscError } from './errors.js';

export interface Explanation {
  readonly summary: Localized;
  readonly advice: Localized;
}

/** What a PC/SC failure means and what to do about it, in plain words, per operating system. */
export function explainPcscError(err: PcscError, os: NodeJS.Platform): Explanation {
  switch (err.kind) {
    case 'module-unavailable':
      return moduleUnavailable(err, os);
    case 'no-service':
      return noService(os);
    case 'access-denied':
      return {
        summary: msg('Datorns smartkortstjänst (PC/SC) nekade åtkomst.', 'The smart card service (PC/SC) denied access.'),
        advice:
          os === 'linux'
            ? msg(
                'Kör siths-doctor som den inloggade användaren vid datorn, inte över ssh eller som en tjänst. pcscd släpper bara in användare som polkit tillåter (regeln org.debian.pcsc-lite.access_pcsc); be IT ändra den om det behövs.',
                'Run siths-doctor as the user logged in at the computer, not over ssh or as a service. pcscd only lets in users polkit allows (rule org.debian.pcsc-lite.access_pcsc); ask IT to change it if needed.',
              )
            : msg(
                'Kör siths-doctor i den inloggade användarens session, inte som en tjänst eller en annan användare.',
                "Run siths-doctor in the logged-in user's session, not as a service or as another user.",
              ),
      };
    case 'timeout':
      return {
        summary: msg(`Smartkortstjänsten (PC/SC) svarade inte i tid (${err.message}).`, `The smart card service (PC/SC) did not answer in time (${err.message}).`),
        advice: restartService(os),
      };
    case 'helper-failed':
      return {
        summary: msg(`siths-doctors hjälpprocess för kortläsare slutade fungera: ${err.message}`, `siths-doctor's card reader helper process failed: ${err.message}`),
        advice: msg('Kör igen. Om det upprepas, skicka rapporten till IT.', 'Run again. If it repeats, send the report to IT.'),
      };
    case 'cancelled':
      return { summary: msg('Avbrutet.', 'Cancelled.'), advice: msg('', '') };
    default:
      return {
        summary: msg(`Smartkortstjänsten (PC/SC) svarade med ett fel: ${err.message}`, `The smart card service (PC/SC) answered with an error: ${err.message}`),
        advice: restartService(os),
      };
  }
}

function noService(os: NodeJS.Platform): Explanation {
  if (os === 'win32') {
    return {
      summary: msg('Windows-tjänsten Smartkort (SCardSvr) körs inte.', 'The Windows Smart Card service (SCardSvr) is not running.'),
      advice: remedy(
        msg(
          'Sätt i kortläsaren först: Windows stänger av tjänsten när ingen kortläsare sitter i. Starta den annars i Tjänster (services.msc), tjänsten ”Smartkort”, eller som administratör med kommandot nedan.',
          'Plug in the card reader first: Windows stops the service when no card reader is attached. Otherwise start it in Services (services.msc), “Smart Card”, or as administrator with the command below.',
        ),
        { commands: [{ run: 'sc start SCardSvr', platform: 'win32' }] },
      ),
    };
  }
  if (os === 'darwin') {
    return {
      summary: msg('macOS smartkortstjänst svarar inte.', "macOS's smart card service does not answer."),
      advice: msg('Dra ur kortläsaren och sätt i den igen. Hjälper inte det, starta om datorn.', 'Unplug the card reader and plug it in again. If that does not help, restart the computer.'),
    };
  }
  return {
    summary: msg('Smartkortstjänsten pcscd körs inte.', 'The smart card service pcscd is not running.'),
    advice: remedy(
      msg(
        'Starta den med kommandot nedan. Finns den inte: installera paketet pcscd (sudo apt-get install pcscd, eller motsvarande paket för din Linux).',
        'Start it with the command below. If it is missing, install the pcscd package (sudo apt-get install pcscd, or the package of your Linux).',
      ),
      { commands: [{ run: 'sudo systemctl start pcscd.socket', platform: 'linux' }] },
    ),
  };
}

function restartService(os: NodeJS.Platform): Localized {
  if (os === 'win32') {
    return msg(
      'Starta om tjänsten Smartkort (SCardSvr) eller datorn, och kör igen.',
      'Restart the Smart Card service (SCardSvr) or the computer, and run again.',
    );
  }
  if (os === 'darwin') return msg('Dra ur och sätt i kortläsaren, eller starta om datorn, och kör igen.', 'Unplug and replug the card reader, or restart the computer, and run again.');
  return msg('Starta om pcscd (sudo systemctl restart pcscd) och kör igen.', 'Restart pcscd (sudo systemctl restart pcscd) and run again.');
}

function moduleUnavailable(err: PcscError, os: NodeJS.Platform): Explanation {
  const what =
    err.moduleProblem === 'not-installed'
      ? msg('är inte installerad', 'is not installed')
      : err.moduleProblem === 'not-built'
        ? msg('installerades men byggdes aldrig', 'was installed but never built')
        : msg('går inte att läsa in', 'cannot be loaded');
  const summary = msg(
    `siths-doctors modul för kortläsare (pcsclite) ${what.sv}, så kortläsare och kort kan inte kontrolleras.`,
    `siths-doctor's card reader module (pcsclite) ${what.en}, so card readers and cards cannot be checked.`,
  );
  // A module npm skipped (no build tools at install time) is not there to rebuild: it needs installing.
  const rebuild = err.moduleProblem === 'not-installed' ? 'npm install pcsclite' : 'npm rebuild pcsclite';
  if (os === 'win32') {
    return {
      summary,
      advice: msg(
        `Installera Visual Studio Build Tools (arbetsbelastningen ”Desktop development with C++”) och Python, och kör sedan ${rebuild} i siths-doctors mapp.`,
        `Install the Visual Studio Build Tools (workload “Desktop development with C++”) and Python, then run ${rebuild} in siths-doctor's folder.`,
      ),
    };
  }
  if (os === 'darwin') {
    return {
      summary,
      advice: msg(
        `Installera Xcodes kommandoradsverktyg (xcode-select --install) och kör sedan ${rebuild} i siths-doctors mapp.`,
        `Install the Xcode command line tools (xcode-select --install), then run ${rebuild} in siths-doctor's folder.`,
      ),
    };
  }
  return {
    summary,
    advice: msg(
      `Installera PC/SC-biblioteket och byggverktyg (Debian/Ubuntu: sudo apt-get install libpcsclite-dev build-essential python3) och kör sedan ${rebuild} i siths-doctors mapp.`,
      `Install the PC/SC library and build tools (Debian/Ubuntu: sudo apt-get install libpcsclite-dev build-essential python3), then run ${rebuild} in siths-doctor's folder.`,
    ),
  };
}
