/** The PKCS#11 child's entry script: `child-main.js LIBRARY` (src/pkcs11/child.ts does the work). */
import { runPkcs11Child } from './child.js';

runPkcs11Child(process.argv[2] ?? '');
process.exit(0);
