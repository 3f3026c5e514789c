export interface StringPair {
  readonly file: string;
  readonly key: string;
  readonly sv: string;
  readonly en: string;
}
export function extractPairs(root?: string): StringPair[];
