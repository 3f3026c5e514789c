export interface TestPkiEntry {
  der: string;
  pem: string;
  key: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  role: string;
  [key: string]: unknown;
}
export interface TestPkiManifest {
  generatedAt: string;
  warning: string;
  person: {
    givenName: string;
    surname: string;
    commonName: string;
    personalNumber: string;
    hsaId: string;
    email: string;
    organisation: string;
  };
  certificates: Record<string, TestPkiEntry>;
}
export const TEST_PERSON: TestPkiManifest['person'];
export const DEFAULT_PKI_DIR: string;
export function makeTestPki(outDir: string, now?: Date): TestPkiManifest;
