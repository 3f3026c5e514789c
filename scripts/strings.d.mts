export interface StringPair {
  readonly file: string;
  readonly key: string;
  readonly sv: string;
  readonly en: string;
}
export function extractPairs(root?: string): StringPair[];
/** Where a text in both languages is written some other way than msg(sv, en): "file key:line". */
export function otherShapes(root?: string): string[];
