// A second PC/SC client of ours, as another program on the same workstation
// would be (Net iD, a browser's middleware): it talks to the same pcscd
// through the real library (the built src/pcsc/winscard.ts, i.e. koffi).
//   node pcsc-client.mjs hold  <reader>  connect, SCardBeginTransaction, print "held", end when stdin closes
//   node pcsc-client.mjs reset <reader>  connect, reset the card (SCardDisconnect with SCARD_RESET_CARD), print "reset"
// PCSCLITE_CSOCK_NAME picks the pcscd.
import { SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1, SCARD_RESET_CARD, SCARD_SHARE_SHARED, WinSCard } from '../../dist/pcsc/winscard.js';

const [mode, reader] = process.argv.slice(2);
const lib = WinSCard.open();
const context = await lib.establish();
const { card } = await lib.connect(context, lib.encodeName(reader), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1);
if (mode === 'hold') {
  await lib.beginTransaction(card);
  process.stdout.write('held\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await lib.endTransaction(card, SCARD_LEAVE_CARD);
  await lib.disconnect(card, SCARD_LEAVE_CARD);
} else if (mode === 'reset') {
  await lib.disconnect(card, SCARD_RESET_CARD);
  process.stdout.write('reset\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
await lib.release(context);
process.exit(0);
