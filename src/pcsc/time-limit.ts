import { duration } from '../i18n/duration.js';
import { PcscError } from './errors.js';
import type { PcscCallOptions } from './types.js';

/**
 * Settle `work` within the call's time limit and abort signal. When either
 * runs out first, `giveUp` gets the reason (the caller stops what may be
 * stuck) and the promise rejects with it; `work` settling later changes nothing.
 */
export function withLimit<T>(work: Promise<T>, options: PcscCallOptions, what: string, giveUp: (reason: PcscError) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = (reason: PcscError): void => {
      cleanup();
      giveUp(reason);
      reject(reason);
    };
    const onAbort = (): void => stop(new PcscError('cancelled', `${what} was cancelled`));
    const timer = setTimeout(() => stop(new PcscError('timeout', `${what}: no answer within ${duration(options.timeoutMs, 'en')}`)), options.timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    work.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (err: unknown) => {
        cleanup();
        reject(err);
      },
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
