import type { Command } from 'commander';
import { msg, pickAll } from '../../i18n/index.js';
import type { Probe } from '../../model.js';
import { CARD_CERT_ID, createCardCertProbe } from '../../probes/card-cert.js';
import { selectProbes } from '../../runner.js';
import type { CommandModule } from '../kit.js';
import { runAndReport } from '../run-report.js';

const HELP = {
  description: msg(
    'lista och bedöm certifikaten på kortet, eller i filer som anges med --cert',
    'list and judge the certificates on the card, or in files given with --cert',
  ),
  after: msg(
    `
Exempel:
  siths-doctor cert                            certifikaten på kortet i läsaren
  siths-doctor cert --cert kort.cer            en exporterad certifikatfil (PEM eller DER)
  siths-doctor cert --cert a.pem --cert b.cer  flera filer bedöms tillsammans, som ett kort
  siths-doctor cert --format json              alla uppgifter om varje certifikat, för skript

Personuppgifter (namn, HSA-id, personnummer, e-post) döljs om du inte anger --show-personal-data.`,
    `
Examples:
  siths-doctor cert                            the certificates on the card in the reader
  siths-doctor cert --cert card.cer            an exported certificate file (PEM or DER)
  siths-doctor cert --cert a.pem --cert b.cer  several files are judged together, like one card
  siths-doctor cert --format json              every fact of every certificate, for scripts

Personal data (names, HSA-ids, personal numbers, e-mail) is hidden unless you pass --show-personal-data.`,
  ),
};

/** The card-cert check, listing every fact of every certificate: the registry's own card-cert gives way to it. */
const listingProbe = createCardCertProbe({ listing: true });

function withListing(registry: readonly Probe[]): Probe[] {
  const replaced = registry.map((p) => (p.id === CARD_CERT_ID ? listingProbe : p));
  return replaced.includes(listingProbe) ? replaced : [...replaced, listingProbe];
}

/** `cert`: the card-cert check (and what it needs), with each certificate's details shown in the text report too. */
export const certCommand: CommandModule = (program, kit) => {
  const help = pickAll(HELP, kit.lang);
  kit
    .subcommand(program, 'cert', ['report', 'run', 'card'])
    .description(help.description)
    .addHelpText('after', help.after)
    .action(async (_opts, cmd: Command) => {
      const { options } = kit.options(cmd);
      const probes = selectProbes(withListing(kit.deps.probes), { ids: [CARD_CERT_ID] }, options);
      kit.setExit(await runAndReport({ probes, options, system: kit.deps.createSystem(options), io: kit.deps.io, showNotes: true }));
    });
};
