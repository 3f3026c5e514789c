import { loadKoffi } from '../native/koffi.js';
import { lookupsPending } from '../net/lookup.js';

/**
 * End the process with `code` once the report is out. Normally process.exit;
 * but when a name lookup is still stuck in the system resolver, process.exit
 * would wait for it (libuv joins its thread pool at exit) for up to the
 * resolver's own timeout, breaking the promised time bound. Then leave at
 * once: _exit on POSIX (no atexit handlers, no thread joins), TerminateProcess
 * on Windows. Everything the user reads has already been written and flushed.
 */
export function exitProcess(code: number): never {
  if (lookupsPending() > 0) {
    try {
      hardExit(code);
    } catch {
      // No FFI on this platform: the normal exit, late but correct.
    }
  }
  process.exit(code);
}

function hardExit(code: number): void {
  const koffi = loadKoffi();
  if (process.platform === 'win32') {
    const kernel32 = koffi.load('kernel32.dll');
    const current = kernel32.func('void * __stdcall GetCurrentProcess(void)');
    const terminate = kernel32.func('bool __stdcall TerminateProcess(void *process, uint32_t code)');
    terminate(current(), code);
    return;
  }
  const libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
  libc.func('void _exit(int status)')(code);
}
