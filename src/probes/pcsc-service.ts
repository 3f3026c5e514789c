import { msg } from '../i18n/index.js';
import type { Probe } from '../model.js';
import { isPcscError } from '../pcsc/errors.js';
import { pcscFailure, type PcscErrorDetails } from '../pcsc/outcome.js';

export interface PcscServiceDetails {
  /** pcscd, SCardSvr (Windows) or macOS's CryptoTokenKit PC/SC service. */
  readonly service: string;
  readonly pcscError?: PcscErrorDetails;
}

export function serviceName(os: NodeJS.Platform): string {
  if (os === 'win32') return 'SCardSvr';
  if (os === 'darwin') return 'com.apple.ctkpcscd';
  return 'pcscd';
}

/** The PC/SC service answers: the first thing the login software needs. */
export const pcscServiceProbe: Probe<PcscServiceDetails> = {
  id: 'pcsc-service',
  title: msg('Smartkortstjänsten', 'Smart card service'),
  description: msg(
    'Att datorns smartkortstjänst (PC/SC: pcscd, eller tjänsten Smartkort i Windows) svarar, och att siths-doctors kortläsarmodul går att använda.',
    "That the computer's smart card service (PC/SC: pcscd, or the Smart Card service on Windows) answers, and that siths-doctor's card reader module works.",
  ),
  waitingFor: msg('väntar på att smartkortstjänsten ska svara…', 'waiting for the smart card service to answer…'),
  async run(ctx) {
    const os = ctx.system.platform.os;
    const service = serviceName(os);
    try {
      const context = await ctx.system.pcsc.establish({ timeoutMs: ctx.timeoutMs, signal: ctx.signal });
      await context.release();
      return {
        status: 'pass',
        summary: msg(`Smartkortstjänsten svarar (${service}).`, `The smart card service answers (${service}).`),
        details: { service },
      };
    } catch (err) {
      if (!isPcscError(err)) throw err;
      const failure = pcscFailure(err, os);
      return { ...failure, details: { service, ...failure.details } };
    }
  },
};
