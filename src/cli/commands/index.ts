import type { CommandModule } from '../kit.js';
import { certCommand } from './cert.js';
import { checkCommand } from './check.js';
import { explainCommand } from './explain.js';
import { listChecksCommand } from './list-checks.js';
import { readersCommand } from './readers.js';
import { tlsCommand } from './tls.js';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly CommandModule[] = [checkCommand, readersCommand, certCommand, tlsCommand, listChecksCommand, explainCommand];
