/** The PKCS#11 child's entry script (src/pkcs11/child.ts does the work; the library's path comes on stdin). */
import { runPkcs11Child } from './child.js';

await runPkcs11Child();
// The result is sent; end before the library's threads can keep the process.
process.exit(0);
