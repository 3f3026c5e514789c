import { Argument, type Command } from 'commander';
import { pick, msg } from '../../i18n/index.js';
import type { HostPort } from '../../options.js';
import { selectProbes } from '../../runner.js';
import { parseHostPort } from '../common.js';
import type { CommandModule } from '../kit.js';
import { runAndReport } from '../run-report.js';

const TEXTS = {
  description: msg(
    'visa certifikatkedjan som inloggningstjänsten visar (i skickad ordning), vilka kortutfärdare den godtar, och om trafiken inspekteras',
    'show the certificate chain the login service presents (in the order sent), the card issuers it accepts, and whether the traffic is inspected',
  ),
  host: msg('värd[:port] att granska (standard: --idp-host, annars inloggningstjänsten)', 'host[:port] to examine (default: --idp-host, else the login service)'),
  after: msg(
    `
Exempel:
  siths-doctor tls                                            inloggningstjänsten, samma väg som webbläsaren
  siths-doctor tls m07-mg-local.idp.funktionstjanster.se      en annan värd
  siths-doctor tls --proxy http://proxy.region.se:8080        genom en viss proxy
  siths-doctor tls --format json                              allt underlag som JSON`,
    `
Examples:
  siths-doctor tls                                            the login service, by the browser's route
  siths-doctor tls m07-mg-local.idp.funktionstjanster.se      another host
  siths-doctor tls --proxy http://proxy.example:8080          through a given proxy
  siths-doctor tls --format json                              all the evidence as JSON`,
  ),
};

/** `tls [HOST]`: the idp-tls check for one host, with its evidence shown in every format. */
export const tlsCommand: CommandModule = (program, kit) => {
  kit
    .subcommand(program, 'tls', ['report', 'run', 'network'])
    .description(pick(TEXTS.description, kit.lang))
    .addArgument(new Argument('[host]', pick(TEXTS.host, kit.lang)).argParser((value: string) => parseHostPort(value, kit.lang)))
    .addHelpText('after', pick(TEXTS.after, kit.lang))
    .action(async (host: HostPort | undefined, _opts, cmd: Command) => {
      const { options: parsed } = kit.options(cmd);
      const options = host ? { ...parsed, idpHosts: [host] } : parsed;
      const probes = selectProbes(kit.deps.probes, { ids: ['idp-tls'] }, options);
      kit.setExit(await runAndReport({ probes, options, system: kit.deps.createSystem(options), io: kit.deps.io, showNotes: true, requested: ['idp-tls'] }));
    });
};
