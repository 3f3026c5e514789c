/** The PC/SC helper's entry script (src/pcsc/host.ts does the work; argv[2] names the PC/SC library, if not the platform's). */
import { runPcscHost } from './host.js';

runPcscHost();
