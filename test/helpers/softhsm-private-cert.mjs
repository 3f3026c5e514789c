// Test setup only: write a certificate object with CKA_PRIVATE set onto a
// SoftHSM token, logging in with the test token's user PIN (pkcs11-tool
// writes certificates as public whatever it is told). Linux x64 layout:
// CK_ULONG is 8 bytes, structures naturally aligned.
//   node softhsm-private-cert.mjs LIBRARY TOKEN-LABEL OBJECT-LABEL ID-HEX VALUE-B64 SUBJECT-B64 PIN
import { loadKoffi } from '../../dist/native/koffi.js';

const [library, tokenLabel, objectLabel, id, value, subject, pin] = process.argv.slice(2);
const koffi = loadKoffi();
const lib = koffi.load(library);
const CK_ATTRIBUTE = koffi.struct('CK_ATTRIBUTE', { type: 'unsigned long', pValue: 'void *', ulValueLen: 'unsigned long' });
const C = {
  Initialize: lib.func('unsigned long C_Initialize(void *)'),
  Finalize: lib.func('unsigned long C_Finalize(void *)'),
  GetSlotList: lib.func('unsigned long C_GetSlotList(uint8_t, _Out_ unsigned long *, _Inout_ unsigned long *)'),
  GetTokenInfo: lib.func('unsigned long C_GetTokenInfo(unsigned long, _Out_ uint8_t *)'),
  OpenSession: lib.func('unsigned long C_OpenSession(unsigned long, unsigned long, void *, void *, _Out_ unsigned long *)'),
  Login: lib.func('unsigned long C_Login(unsigned long, unsigned long, const char *, unsigned long)'),
  CreateObject: lib.func('unsigned long C_CreateObject(unsigned long, CK_ATTRIBUTE *, unsigned long, _Out_ unsigned long *)'),
  Logout: lib.func('unsigned long C_Logout(unsigned long)'),
  CloseSession: lib.func('unsigned long C_CloseSession(unsigned long)'),
};
const ok = (name, rv) => {
  if (Number(rv) !== 0) throw new Error(`${name}: 0x${Number(rv).toString(16)}`);
};
const ulong = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
ok('C_Initialize', C.Initialize(null));
try {
  const count = [0];
  ok('C_GetSlotList', C.GetSlotList(1, null, count));
  const slots = new Array(count[0]).fill(0);
  ok('C_GetSlotList', C.GetSlotList(1, slots, count));
  const slot = slots.find((s) => {
    const info = Buffer.alloc(256);
    C.GetTokenInfo(s, info);
    return info.subarray(0, 32).toString('utf8').trim() === tokenLabel;
  });
  const session = [0];
  ok('C_OpenSession', C.OpenSession(slot, 0x4 | 0x2, null, null, session));
  ok('C_Login', C.Login(session[0], 1, pin, pin.length));
  const yes = Buffer.from([1]);
  const attrs = [
    [0x0, ulong(1)], // CKA_CLASS: CKO_CERTIFICATE
    [0x80, ulong(0)], // CKA_CERTIFICATE_TYPE: CKC_X_509
    [0x1, yes], // CKA_TOKEN
    [0x2, yes], // CKA_PRIVATE
    [0x3, Buffer.from(objectLabel, 'utf8')],
    [0x102, Buffer.from(id, 'hex')],
    [0x101, Buffer.from(subject, 'base64')],
    [0x11, Buffer.from(value, 'base64')],
  ].map(([type, v]) => ({ type, pValue: v, ulValueLen: v.length }));
  ok('C_CreateObject', C.CreateObject(session[0], attrs, attrs.length, [0]));
  ok('C_Logout', C.Logout(session[0]));
  ok('C_CloseSession', C.CloseSession(session[0]));
} finally {
  C.Finalize(null);
}
