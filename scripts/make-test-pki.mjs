#!/usr/bin/env node
// Generates the TEST public key infrastructure the test suites use: a SITHS-like
// card hierarchy (every CA name prefixed "TEST"), card certificates in every
// state the doctor must judge, and a TLS hierarchy for the loopback servers
// that stand in for test.siths.se and the IdP. Nothing here is real: the
// person is the well-known test identity 19121212-1212 "Tolvan Tolvansson",
// organisation numbers are made up, all keys are fresh.
//
// Dates are relative to the moment of generation (a certificate "expiring in
// 10 days" must still be that when the tests run), so the suite regenerates
// this into fixtures/pki/ (git-ignored) before it runs: `npm run fixtures`.
//
// Output: fixtures/pki/manifest.json names every file; `<name>.pem`, `<name>.der`
// and, for keys the tests need, `<name>.key.pem`.

import { createPrivateKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';

const { pki, asn1 } = forge;
const DAY = 24 * 60 * 60 * 1000;

export const TEST_PERSON = {
  givenName: 'Tolvan',
  surname: 'Tolvansson',
  commonName: 'Tolvan Tolvansson',
  personalNumber: '191212121212',
  hsaId: 'SE2321000016-T0LV',
  email: 'tolvan.tolvansson@region-test.example',
  organisation: 'Region Test (TEST)',
};

let serialCounter = 0x1000;
function nextSerial() {
  serialCounter += 1;
  // Positive, even-length hex.
  return '01' + serialCounter.toString(16).padStart(8, '0') + Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
}

function rsaKeys(bits = 2048) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return fromNodeKey(privateKey);
}

function fromNodeKey(privateKey) {
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const forgeKey = pki.privateKeyFromPem(pem);
  return { privateKeyPem: pem, privateKey: forgeKey, publicKey: pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

const leafKeyPool = [];
let leafKeyTurn = 0;
function pooledLeafKey() {
  if (leafKeyPool.length < 3) leafKeyPool.push(rsaKeys());
  return leafKeyPool[leafKeyTurn++ % leafKeyPool.length];
}

function ecKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    spkiDer: publicKey.export({ type: 'spki', format: 'der' }),
  };
}

function attrs(spec) {
  const out = [];
  const add = (shortOrType, value) => {
    if (value === undefined) return;
    if (shortOrType.includes('.')) out.push({ type: shortOrType, value, valueTagClass: asn1.Type.UTF8 });
    else out.push({ shortName: shortOrType, value, valueTagClass: asn1.Type.UTF8 });
  };
  add('C', spec.C);
  add('O', spec.O);
  add('OU', spec.OU);
  add('2.5.4.4', spec.surname);
  add('2.5.4.42', spec.givenName);
  add('2.5.4.5', spec.serialNumber);
  add('CN', spec.CN);
  return out;
}

function policiesExtension(oids) {
  const seq = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    oids.map((oid) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      ]),
    ),
  );
  return { id: '2.5.29.32', critical: false, value: asn1.toDer(seq).getBytes() };
}

/**
 * Build and sign a certificate. `issuer` is an earlier result (or undefined
 * for self-signed). `ec: true` gives the subject an EC P-256 key, which
 * node-forge cannot represent: the TBSCertificate is built with a stand-in
 * RSA key and its SubjectPublicKeyInfo swapped for the EC one before signing.
 */
function makeCert({ name, subject, issuer, notBefore, notAfter, ca = false, pathLen, keyUsage, extKeyUsage, policies, altNames, ec = false, extraExtensions = [], sameKeyAs }) {
  // CAs get keys of their own; end-entity certificates share a small pool, since
  // RSA key generation dominates the run time and no test needs distinct leaf keys.
  // `sameKeyAs`: re-issue an earlier certificate's key (a renewed CA certificate).
  const keys = sameKeyAs ? fromNodeKey(createPrivateKey(sameKeyAs.privateKeyPem)) : ec ? ecKeys() : ca ? rsaKeys() : pooledLeafKey();
  const stand = ec ? pooledLeafKey() : keys;
  const cert = pki.createCertificate();
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.publicKey = stand.publicKey;
  cert.setSubject(attrs(subject));
  cert.setIssuer(attrs(issuer ? issuer.subject : subject));
  const extensions = [];
  if (ca) extensions.push({ name: 'basicConstraints', cA: true, critical: true, ...(pathLen === undefined ? {} : { pathLenConstraint: pathLen }) });
  else extensions.push({ name: 'basicConstraints', cA: false });
  if (keyUsage) extensions.push({ name: 'keyUsage', critical: true, ...Object.fromEntries(keyUsage.map((k) => [k, true])) });
  if (extKeyUsage) extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(extKeyUsage.map((k) => [k, true])) });
  if (altNames) extensions.push({ name: 'subjectAltName', altNames });
  if (policies) extensions.push(policiesExtension(policies));
  if (!ec) extensions.push({ name: 'subjectKeyIdentifier' });
  if (issuer) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() });
  cert.setExtensions([...extensions, ...extraExtensions]);

  const signerPem = issuer ? issuer.privateKeyPem : keys.privateKeyPem;
  // Sign with SHA-256 and RSA (every CA here is RSA).
  cert.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = pki.oids.sha256WithRSAEncryption;
  const tbs = pki.getTBSCertificate(cert);
  if (ec) {
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
    tbs.value[6] = asn1.fromDer(forge.util.createBuffer(keys.spkiDer.toString('binary')));
  }
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = nodeSign('sha256', tbsDer, createPrivateKey(signerPem));
  const certAsn1 = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    sigAlg(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature.toString('binary')),
  ]);
  const der = Buffer.from(asn1.toDer(certAsn1).getBytes(), 'binary');
  const parsed = ec ? cert : pki.certificateFromAsn1(asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
  return { name, der, cert: parsed, subject, privateKeyPem: keys.privateKeyPem, ec };
}

function sigAlg() {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(pki.oids.sha256WithRSAEncryption).getBytes()),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  ]);
}

/** A private extension under the example OID arc 2.999 (ITU-T X.660), holding `bytes` bytes of padding. */
function hugeExtension(bytes) {
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, 'T'.repeat(bytes));
  return { id: '2.999.1', critical: false, value: asn1.toDer(value).getBytes() };
}

function pem(der) {
  const b64 = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Make the whole test PKI in `outDir` (replacing what was there) and return its manifest. */
export function makeTestPki(outDir, now = new Date()) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const t = (days) => new Date(now.getTime() + days * DAY);
  const manifest = { generatedAt: now.toISOString(), warning: 'TEST DATA ONLY. Generated by scripts/make-test-pki.mjs.', person: TEST_PERSON, certificates: {} };
  const results = {};

  const save = (result, meta = {}) => {
    results[result.name] = result;
    const base = path.join(outDir, result.name);
    writeFileSync(`${base}.der`, result.der);
    writeFileSync(`${base}.pem`, pem(result.der));
    writeFileSync(`${base}.key.pem`, result.privateKeyPem);
    manifest.certificates[result.name] = {
      der: `${result.name}.der`,
      pem: `${result.name}.pem`,
      key: `${result.name}.key.pem`,
      subject: result.cert.subject.attributes.map((a) => `${a.shortName ?? a.type}=${a.value}`).join(', '),
      notBefore: result.cert.validity.notBefore.toISOString(),
      notAfter: result.cert.validity.notAfter.toISOString(),
      ...meta,
    };
    return result;
  };
  const chain = (file, names) => {
    writeFileSync(path.join(outDir, file), names.map((n) => pem(results[n].der)).join(''));
  };

  // ---- The card side: a SITHS e-id like hierarchy, TEST throughout --------------------------
  const caValidity = { notBefore: t(-3650), notAfter: t(3650) };
  const sithsRoot = save(
    makeCert({ name: 'siths-root', subject: { C: 'SE', O: 'Inera AB (TEST)', CN: 'TEST SITHS e-id Root CA v2' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'siths' },
  );
  const issuing = (name, cn, root = sithsRoot, org = 'Inera AB (TEST)') =>
    save(makeCert({ name, subject: { C: 'SE', O: org, CN: cn }, issuer: root, ca: true, pathLen: 0, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }), {
      role: 'issuing-ca',
    });
  const hsaCa = issuing('siths-hsa-ca', 'TEST SITHS e-id Person HSA-id 3 CA v1');
  const idCa = issuing('siths-id-ca', 'TEST SITHS e-id Person ID 3 CA v1');
  const reserveCa = issuing('siths-hsa2-ca', 'TEST SITHS e-id Person HSA-id 2 CA v1');
  const legacyRoot = save(
    makeCert({ name: 'siths-legacy-root', subject: { C: 'SE', O: 'Inera AB (TEST)', CN: 'TEST SITHS Root CA v1' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'siths-legacy' },
  );
  const legacyCa = issuing('siths-legacy-type1-ca', 'TEST SITHS Type 1 CA v1', legacyRoot);
  // Pre-production: Inera marks it with "PP" at the end of the CA names ("SITHS Type 1 CA v1 PP"); no "TEST" at all.
  const ppRoot = save(
    makeCert({ name: 'siths-pp-root', subject: { C: 'SE', O: 'Inera AB', CN: 'SITHS Root CA v1 PP' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'siths-legacy', note: 'pre-production (PP), a test hierarchy' },
  );
  const ppCa = issuing('siths-pp-type1-ca', 'SITHS Type 1 CA v1 PP', ppRoot, 'Inera AB');
  // Function certificates (systems, servers): not a person's, cannot log a person in.
  const functionCa = issuing('siths-function-ca', 'TEST SITHS e-id Function CA v1');
  // Efos's own naming ("Swedish Public Sector …", O Swedish Social Insurance Agency); SAT is its test hierarchy.
  const efosSatRoot = save(
    makeCert({
      name: 'efos-sat-root',
      subject: { C: 'SE', O: 'Swedish Social Insurance Agency', CN: 'Swedish Public Sector Internal Root CA SAT v1' },
      ca: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...caValidity,
    }),
    { role: 'root', family: 'efos', note: 'named like Efos SAT (test); generated here' },
  );
  const efosSatFunctionCa = issuing('efos-sat-function-ca', 'Swedish Public Sector Function CA v3 SAT', efosSatRoot, 'Swedish Social Insurance Agency');
  // Another card from the wallet: a national-ID-like card hierarchy that is neither SITHS nor Efos.
  const nationalRoot = save(
    makeCert({ name: 'national-id-root', subject: { C: 'SE', O: 'Nationell ID-kortutgivare (TEST)', CN: 'TEST Nationellt ID-kort Root CA' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'other', note: 'an ID card that is not a SITHS card' },
  );
  const nationalCa = issuing('national-id-ca', 'TEST Nationellt ID-kort CA v1', nationalRoot, 'Nationell ID-kortutgivare (TEST)');
  const efosRoot = save(
    makeCert({ name: 'efos-root', subject: { C: 'SE', O: 'Försäkringskassan (TEST)', CN: 'TEST Försäkringskassan Root CA' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'efos' },
  );
  const efosCa = issuing('efos-ca', 'TEST Efos Kort CA v1', efosRoot, 'Försäkringskassan (TEST)');
  const teliaRoot = save(
    makeCert({ name: 'telia-root', subject: { C: 'SE', O: 'Telia Company AB (TEST)', CN: 'TEST Telia Root CA v2' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', family: 'telia' },
  );
  const teliaCa = issuing('telia-ca', 'TEST Telia e-legitimation CA v4', teliaRoot, 'Telia Company AB (TEST)');

  const person = (serialNumber) => ({
    C: 'SE',
    O: TEST_PERSON.organisation,
    givenName: TEST_PERSON.givenName,
    surname: TEST_PERSON.surname,
    serialNumber,
    CN: TEST_PERSON.commonName,
  });
  const AUTH = { keyUsage: ['digitalSignature'], extKeyUsage: ['clientAuth', '1.3.6.1.4.1.311.20.2.2'] };
  const SIGN = { keyUsage: ['nonRepudiation'] };
  const card = (name, issuer, serial, purpose, days, meta, extra = {}) =>
    save(
      makeCert({
        name,
        subject: person(serial),
        issuer,
        ...(purpose === 'auth' ? AUTH : SIGN),
        altNames: [{ type: 1, value: TEST_PERSON.email }],
        notBefore: t(days[0]),
        notAfter: t(days[1]),
        ...extra,
      }),
      { role: 'card', purpose, ...meta },
    );
  const valid = [-365, 1460];
  card('card-hsa-auth-valid', hsaCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', expect: 'pass' });
  card('card-hsa-sign-valid', hsaCa, TEST_PERSON.hsaId, 'sign', valid, { identity: 'hsa-id', expect: 'pass' });
  card('card-pnr-auth-valid', idCa, TEST_PERSON.personalNumber, 'auth', valid, { identity: 'personal-number', expect: 'pass' });
  card('card-pnr-sign-valid', idCa, TEST_PERSON.personalNumber, 'sign', valid, { identity: 'personal-number', expect: 'pass' });
  card('card-hsa-auth-expiring', hsaCa, TEST_PERSON.hsaId, 'auth', [-1450, 10], { identity: 'hsa-id', expect: 'warn', daysLeft: 10 });
  card('card-hsa-auth-expired', hsaCa, TEST_PERSON.hsaId, 'auth', [-1500, -20], { identity: 'hsa-id', expect: 'fail' });
  card('card-hsa-auth-notyet', hsaCa, TEST_PERSON.hsaId, 'auth', [5, 1465], { identity: 'hsa-id', expect: 'fail' });
  card('card-hsa-auth-ec', hsaCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', expect: 'pass', keyType: 'ec' }, { ec: true });
  card('card-hsa-sign-only', hsaCa, TEST_PERSON.hsaId, 'sign', valid, { identity: 'hsa-id', expect: 'fail' });
  card('card-hsa2-auth-reserve', reserveCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', expect: 'warn', level: 2 });
  card('card-legacy-auth', legacyCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', family: 'siths-legacy' });
  card('card-efos-auth', efosCa, TEST_PERSON.personalNumber, 'auth', valid, { identity: 'personal-number', family: 'efos' }, {
    policies: ['1.2.752.146.200.3.1.0.0'],
  });
  card('card-telia-auth', teliaCa, TEST_PERSON.personalNumber, 'auth', valid, { identity: 'personal-number', family: 'telia' });
  card('card-pp-auth', ppCa, 'TSTNMT2321000156-1019', 'auth', valid, { identity: 'hsa-id', family: 'siths-legacy', expect: 'pass', test: 'PP' });
  card('card-national-id-auth', nationalCa, TEST_PERSON.personalNumber, 'auth', valid, { identity: 'personal-number', family: 'other', expect: 'fail' });
  card('card-national-id-sign', nationalCa, TEST_PERSON.personalNumber, 'sign', valid, { identity: 'personal-number', family: 'other' });
  const system = (name, issuer, meta) =>
    save(
      makeCert({
        name,
        subject: { C: 'SE', O: TEST_PERSON.organisation, serialNumber: 'SE2321000016-F00T', CN: 'journal-integration.region-test.example' },
        issuer,
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        extKeyUsage: ['serverAuth', 'clientAuth'],
        altNames: [{ type: 2, value: 'journal-integration.region-test.example' }],
        notBefore: t(valid[0]),
        notAfter: t(valid[1]),
      }),
      { role: 'function', expect: 'fail', ...meta },
    );
  system('function-siths-auth', functionCa, { family: 'siths-e-id' });
  system('function-efos-sat-auth', efosSatFunctionCa, { family: 'efos', test: 'SAT' });
  // Readable, but no card certificate looks like these: the doctor must say so rather than trust them.
  card('card-hsa-auth-absurd-dates', hsaCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', expect: 'warn', note: 'valid from 1950 to 9999' }, {
    notBefore: new Date('1950-01-01T00:00:00Z'),
    notAfter: new Date('9999-12-31T23:59:59Z'),
  });
  card('card-hsa-auth-huge-extension', hsaCa, TEST_PERSON.hsaId, 'auth', valid, { identity: 'hsa-id', expect: 'warn', note: 'a 20000-byte private extension' }, {
    extraExtensions: [hugeExtension(20_000)],
  });

  // ---- The network side: a stand-in "public" web PKI, and an organisation's inspection CA ---
  const webRoot = save(
    makeCert({ name: 'web-root', subject: { C: 'US', O: 'Example Trust Services (TEST)', CN: 'TEST Public Root CA G2' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'root', note: 'plays a public root; trust it with --ca-file' },
  );
  const webCa = issuing('web-ca', 'TEST Global G2 TLS RSA SHA256 2020 CA1', webRoot, 'Example Trust Services (TEST)');
  const server = (name, names, days, meta = {}, issuer = webCa) =>
    save(
      makeCert({
        name,
        subject: { C: 'SE', O: 'CGI Sverige AB (TEST)', CN: names[0] },
        issuer,
        keyUsage: ['digitalSignature', 'keyEncipherment'],
        extKeyUsage: ['serverAuth'],
        altNames: names.map((value) => ({ type: 2, value })),
        notBefore: t(days[0]),
        notAfter: t(days[1]),
      }),
      { role: 'tls-server', names, ...meta },
    );
  server('tls-test-siths', ['test.siths.se'], [-30, 335]);
  server('tls-idp', ['idp.funktionstjanster.se', '*.idp.funktionstjanster.se'], [-30, 335]);
  server('tls-wrong-host', ['wrong-host.example.test'], [-30, 335]);
  server('tls-test-siths-expired', ['test.siths.se'], [-400, -35], { expect: 'expired' });
  server('tls-idp-expired', ['idp.funktionstjanster.se', '*.idp.funktionstjanster.se'], [-400, -35], { expect: 'expired' });
  save(
    makeCert({
      name: 'inspection-org-ca',
      subject: { C: 'SE', O: 'Region Test (TEST)', OU: 'IT-säkerhet', CN: 'TEST Region Test Proxy CA' },
      ca: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...caValidity,
    }),
    { role: 'inspection-ca', note: "an organisation's own TLS inspection CA (for squid ssl-bump)" },
  );

  // A product's inspection CA, named like Zscaler's (root and intermediate), and the forged IdP
  // certificate it would present: for the inspection-product label.
  const zscalerRoot = save(
    makeCert({
      name: 'inspection-zscaler-root',
      subject: { C: 'US', O: 'Zscaler Inc. (TEST)', OU: 'Zscaler Inc. (TEST)', CN: 'TEST Zscaler Root CA' },
      ca: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
      ...caValidity,
    }),
    { role: 'inspection-ca', product: 'Zscaler', note: 'named like a Zscaler root; TEST only' },
  );
  const zscalerCa = issuing('inspection-zscaler-ca', 'TEST Zscaler Intermediate Root CA', zscalerRoot, 'Zscaler Inc. (TEST)');
  server('tls-idp-zscaler', ['idp.funktionstjanster.se', '*.idp.funktionstjanster.se'], [-2, 12], { expect: 'inspection', product: 'Zscaler' }, zscalerCa);

  // The same issuing CA re-issued with the same name and key, expired: sent ahead of the valid one, browsers ignore it.
  save(
    makeCert({
      name: 'web-ca-expired',
      subject: { C: 'SE', O: 'Example Trust Services (TEST)', CN: 'TEST Global G2 TLS RSA SHA256 2020 CA1' },
      issuer: webRoot,
      ca: true,
      pathLen: 0,
      keyUsage: ['keyCertSign', 'cRLSign'],
      notBefore: t(-3000),
      notAfter: t(-100),
      sameKeyAs: webCa,
    }),
    { role: 'issuing-ca', expect: 'expired duplicate of web-ca, same key' },
  );
  // A root named exactly like a public one in Mozilla's list (ISRG Root X1), with a key of its own: what a
  // look-alike inspection CA does. TEST only: the name is borrowed on purpose; the manifest says so.
  const lookAlikeRoot = save(
    makeCert({ name: 'lookalike-isrg-root', subject: { C: 'US', O: 'Internet Security Research Group', CN: 'ISRG Root X1' }, ca: true, keyUsage: ['keyCertSign', 'cRLSign'], ...caValidity }),
    { role: 'inspection-ca', note: "TEST look-alike: named like Mozilla's ISRG Root X1, another key" },
  );
  const lookAlikeCa = issuing('lookalike-ca', 'TEST Look-alike Issuing CA', lookAlikeRoot, 'Internet Security Research Group');
  server('tls-idp-lookalike', ['idp.funktionstjanster.se', '*.idp.funktionstjanster.se'], [-2, 12], { expect: 'inspection' }, lookAlikeCa);
  chain('tls-idp-lookalike.chain.pem', ['tls-idp-lookalike', 'lookalike-ca', 'lookalike-isrg-root']);
  // The leaf alone (the server forgot its intermediate), and an expired duplicate intermediate ahead of the valid one.
  chain('tls-idp-leaf-only.chain.pem', ['tls-idp']);
  chain('tls-idp-expired-duplicate.chain.pem', ['tls-idp', 'web-ca-expired', 'web-ca']);

  chain('tls-test-siths.chain.pem', ['tls-test-siths', 'web-ca']);
  chain('tls-idp-zscaler.chain.pem', ['tls-idp-zscaler', 'inspection-zscaler-ca']);
  chain('tls-idp.chain.pem', ['tls-idp', 'web-ca']);
  chain('tls-wrong-host.chain.pem', ['tls-wrong-host', 'web-ca']);
  chain('tls-test-siths-expired.chain.pem', ['tls-test-siths-expired', 'web-ca']);
  chain('tls-idp-expired.chain.pem', ['tls-idp-expired', 'web-ca']);
  chain('siths-card-cas.pem', ['siths-root', 'siths-hsa-ca', 'siths-id-ca', 'siths-hsa2-ca']);
  chain('card-pp-chain.pem', ['card-pp-auth', 'siths-pp-type1-ca', 'siths-pp-root']);
  // A card's HSA-id pair as a helpdesk may receive it: one PEM file, or a PKCS#7 bundle (.p7b, as Windows exports).
  chain('card-hsa-pair.pem', ['card-hsa-auth-valid', 'card-hsa-sign-valid']);
  const p7 = forge.pkcs7.createSignedData();
  for (const n of ['card-hsa-auth-valid', 'card-hsa-sign-valid']) p7.addCertificate(results[n].cert);
  writeFileSync(path.join(outDir, 'card-hsa-pair.p7b'), Buffer.from(asn1.toDer(p7.toAsn1()).getBytes(), 'binary'));

  writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'README.txt'), 'TEST DATA ONLY, generated by scripts/make-test-pki.mjs. Do not trust these certificates anywhere.\n');
  return manifest;
}

export const DEFAULT_PKI_DIR = fileURLToPath(new URL('../fixtures/pki/', import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? DEFAULT_PKI_DIR;
  const started = Date.now();
  const manifest = makeTestPki(out);
  console.log(`test PKI: ${Object.keys(manifest.certificates).length} certificates in ${out} (${Date.now() - started} ms)`);
}
