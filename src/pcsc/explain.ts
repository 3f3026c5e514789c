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

/** The platform's PC/SC library by name, as a person can look for it. */
function libraryName(os: NodeJS.Platform): string {
  return os === 'win32' ? 'winscard.dll' : os === 'darwin' ? 'PCSC.framework' : 'libpcsclite.so.1';
}

function moduleUnavailable(err: PcscError, os: NodeJS.Platform): Explanation {
  const lib = libraryName(os);
  if (err.moduleProblem === 'ffi-unavailable') {
    return {
      summary: msg(
        'siths-doctors del för att anropa systemets bibliotek (koffi) går inte att läsa in, så kortläsare och kort kan inte kontrolleras.',
        "siths-doctor's part for calling system libraries (koffi) cannot be loaded, so card readers and cards cannot be checked.",
      ),
      advice: msg(
        'Installera om siths-doctor (samma version, från npm eller som fristående fil) och kör igen.',
        'Reinstall siths-doctor (the same version, from npm or as the standalone file) and run again.',
      ),
    };
  }
  const summary =
    err.moduleProblem === 'wrong-library'
      ? msg(`Datorns PC/SC-bibliotek (${lib}) saknar funktioner som kortläsare behöver, så kortläsare och kort kan inte kontrolleras.`, `The computer's PC/SC library (${lib}) lacks functions card readers need, so card readers and cards cannot be checked.`)
      : msg(`Datorns PC/SC-bibliotek (${lib}) saknas eller går inte att läsa in, så kortläsare och kort kan inte kontrolleras.`, `The computer's PC/SC library (${lib}) is missing or cannot be loaded, so card readers and cards cannot be checked.`);
  if (os === 'win32') {
    return {
      summary,
      advice: msg(
        'winscard.dll ingår i Windows. Be IT att reparera Windows (sfc /scannow) eller installera om datorn.',
        'winscard.dll is part of Windows. Ask IT to repair Windows (sfc /scannow) or reinstall the computer.',
      ),
    };
  }
  if (os === 'darwin') {
    return {
      summary,
      advice: msg('PCSC.framework ingår i macOS. Uppdatera macOS, eller be IT att installera om det.', 'PCSC.framework is part of macOS. Update macOS, or ask IT to reinstall it.'),
    };
  }
  return {
    summary,
    advice: msg(
      'Installera smartkortstjänsten och dess bibliotek (Debian/Ubuntu: sudo apt-get install pcscd libpcsclite1; Fedora: sudo dnf install pcsc-lite pcsc-lite-libs) och kör igen.',
      'Install the smart card service and its library (Debian/Ubuntu: sudo apt-get install pcscd libpcsclite1; Fedora: sudo dnf install pcsc-lite pcsc-lite-libs) and run again.',
    ),
  };
}
