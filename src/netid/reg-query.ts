/**
 * Windows registry reads through the system's own `reg.exe query`, parsed by
 * structure only. reg.exe localises every message (Swedish Windows prints
 * "FEL: ..." and "Sökningen är slutförd: ...") and writes them in the console
 * code page, but key headings (`HKEY_LOCAL_MACHINE\...`) and value lines
 * (`    Name    REG_SZ    data`) keep the same shape in every language. So
 * nothing here matches a message: a heading starts a key, an indented line
 * with a REG_ type is a value, and every other line is ignored.
 */

export type RegType = 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ' | 'REG_DWORD' | 'REG_QWORD' | 'REG_BINARY' | 'REG_NONE' | (string & {});

export interface RegValue {
  readonly name: string;
  readonly type: RegType;
  /** As reg.exe printed it: REG_DWORD as "0x1f", REG_MULTI_SZ joined by "\0" (two characters). */
  readonly data: string;
}

export interface RegKey {
  /** The full path as printed, `HKEY_LOCAL_MACHINE\SOFTWARE\...`. */
  readonly path: string;
  readonly values: readonly RegValue[];
}

/** Bounds for hostile or runaway output: reg.exe's own output for our queries is a few kilobytes. */
const MAX_KEYS = 2000;
const MAX_VALUES_PER_KEY = 500;
const MAX_LINE = 32 * 1024;

const HEADING = /^HKEY_[A-Z_]+(\\[^\r\n]*)?$/;
// Four spaces, the name (lazy: up to the first type token), four spaces, the type, then optionally four spaces and the data.
const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*)| *)$/;

export function parseRegQuery(output: string): RegKey[] {
  const keys: { path: string; values: RegValue[] }[] = [];
  let current: { path: string; values: RegValue[] } | undefined;
  for (const line of output.split(/\r\n|\r|\n/)) {
    if (line.length > MAX_LINE) continue;
    const heading = line.trimEnd();
    if (HEADING.test(heading)) {
      if (keys.length >= MAX_KEYS) break;
      current = { path: heading.replace(/\\+$/, ''), values: [] };
      keys.push(current);
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (m && current && current.values.length < MAX_VALUES_PER_KEY) {
      current.values.push({ name: m[1]!, type: m[2]!, data: m[3] ?? '' });
    }
  }
  return keys;
}

/** Registry paths compare case-insensitively; reg.exe prints HKEY_LOCAL_MACHINE where we wrote HKLM. */
function normalizeKeyPath(path: string): string {
  return path
    .replace(/^HKLM(?=\\|$)/i, 'HKEY_LOCAL_MACHINE')
    .replace(/^HKCU(?=\\|$)/i, 'HKEY_CURRENT_USER')
    .replace(/\\+$/, '')
    .toLowerCase();
}

export function findKey(keys: readonly RegKey[], path: string): RegKey | undefined {
  const wanted = normalizeKeyPath(path);
  return keys.find((k) => normalizeKeyPath(k.path) === wanted);
}

export type StringValue =
  | { readonly kind: 'string'; readonly value: string; readonly expand: boolean }
  | { readonly kind: 'absent' }
  | { readonly kind: 'wrong-type'; readonly type: string };

/** A value that must be text (a version, a folder): REG_SZ, or REG_EXPAND_SZ whose %VARIABLES% the caller expands. */
export function stringValue(key: RegKey | undefined, name: string): StringValue {
  const value = key?.values.find((v) => v.name.toLowerCase() === name.toLowerCase());
  if (!value) return { kind: 'absent' };
  if (value.type === 'REG_SZ' || value.type === 'REG_EXPAND_SZ') {
    return { kind: 'string', value: value.data.trim(), expand: value.type === 'REG_EXPAND_SZ' };
  }
  return { kind: 'wrong-type', type: value.type };
}
