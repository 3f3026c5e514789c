// Module resolution hook (see hide-pcsclite.mjs): `pcsclite` is not there.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'pcsclite' || specifier.startsWith('pcsclite/')) {
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}
