import type { ProbeOutcome, Status } from '../model.js';
import type { PcscError } from './errors.js';
import { explainPcscError } from './explain.js';

/** The `details.pcscError` of a probe that a PC/SC failure stopped. */
export interface PcscErrorDetails {
  readonly kind: PcscError['kind'];
  readonly code?: string;
  readonly message: string;
}

export function pcscErrorDetails(err: PcscError): PcscErrorDetails {
  return { kind: err.kind, ...(err.codeName ? { code: err.codeName } : err.code !== undefined ? { code: `0x${err.code.toString(16)}` } : {}), message: err.message };
}

/**
 * A broken service or a refused user is the machine's fault (fail); a missing
 * module, a time-out or our own helper failing means the check could not be
 * done (error).
 */
function statusOf(err: PcscError): Status {
  return err.kind === 'no-service' || err.kind === 'access-denied' ? 'fail' : 'error';
}

export function pcscFailure(err: PcscError, os: NodeJS.Platform): ProbeOutcome<{ pcscError: PcscErrorDetails }> {
  const { summary, advice } = explainPcscError(err, os);
  return { status: statusOf(err), summary, advice, details: { pcscError: pcscErrorDetails(err) } };
}
