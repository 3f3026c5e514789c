import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Tiny shared libraries that look like PKCS#11 modules and misbehave, built
 * with the system C compiler: one hangs in C_Initialize forever, one crashes
 * there with a segmentation fault, one is a valid library with no PKCS#11
 * entry point at all.
 */
export type HostileKind = 'hang' | 'crash' | 'no-entry-point';

const SOURCE = `
#include <unistd.h>
typedef unsigned long CK_RV;
typedef struct { unsigned char major, minor; } CK_VERSION;
typedef CK_RV (*CK_FN)(void);

#if defined(NO_ENTRY_POINT)
int not_pkcs11(void) { return 0; }
#else
static CK_RV initialize(void *args) {
  (void)args;
#if defined(HANG)
  for (;;) pause();
#else
  volatile int *nowhere = 0;
  *nowhere = 1;
#endif
  return 0;
}
static CK_RV unsupported(void) { return 0x54; /* CKR_FUNCTION_NOT_SUPPORTED */ }
/* CK_FUNCTION_LIST of PKCS#11 2.40: the version, then 68 function pointers, C_Initialize first. */
static struct { CK_VERSION version; CK_FN functions[68]; } list;
CK_RV C_GetFunctionList(void **out) {
  list.version.major = 2;
  list.version.minor = 40;
  list.functions[0] = (CK_FN)initialize;
  for (int i = 1; i < 68; i++) list.functions[i] = unsupported;
  *out = &list;
  return 0;
}
#endif
`;

const DEFINE: Record<HostileKind, string> = { hang: '-DHANG', crash: '-DCRASH', 'no-entry-point': '-DNO_ENTRY_POINT' };

/** Build the library into `dir` and give its path. */
export function buildHostileLibrary(dir: string, kind: HostileKind): string {
  const source = path.join(dir, 'hostile-pkcs11.c');
  writeFileSync(source, SOURCE);
  const library = path.join(dir, `libhostile-${kind}.so`);
  execFileSync('cc', ['-O0', '-shared', '-fPIC', DEFINE[kind], '-o', library, source], { stdio: ['ignore', 'pipe', 'pipe'] });
  return library;
}
