#!/usr/bin/env node
// Every Swedish/English pair a user can read, found statically in src/ with
// the TypeScript parser, as a table a translator can review:
//   npm run strings                 tab-separated: file, key, sv, en
//   npm run strings -- --markdown   a markdown table
// A pair is a msg(sv, en) call (or t(sv, en), a command's shorthand for
// pick(msg(…))): tables of texts are tables of msg pairs, so a translator reads
// each Swedish text next to its English. Interpolations show as {expression}.
// otherShapes() finds a text written any other way (an object literal
// { sv, en }, `lang === 'sv' ? … : …`, per-language tables), which the tests
// forbid: each would be a text this table misses.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The text of a string-like expression, or undefined when it is not one. */
function textOf(node, sf) {
  if (!node) return undefined;
  if (ts.isParenthesizedExpression(node)) return textOf(node.expression, sf);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const span of node.templateSpans) out += `{${span.expression.getText(sf)}}` + span.literal.text;
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = textOf(node.left, sf);
    const b = textOf(node.right, sf);
    return a !== undefined && b !== undefined ? a + b : undefined;
  }
  return undefined;
}

/** { sv: X, en: Y } as [X node, Y node], or undefined. */
function svEnProperties(node) {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const props = node.properties.filter(ts.isPropertyAssignment);
  const sv = props.find((p) => p.name.getText() === 'sv');
  const en = props.find((p) => p.name.getText() === 'en');
  return sv && en ? [sv.initializer, en.initializer] : undefined;
}

/** The name of the declaration or property a node sits in, for the key column. */
function keyOf(node, sf) {
  const names = [];
  for (let n = node.parent; n; n = n.parent) {
    if ((ts.isPropertyAssignment(n) || ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) {
      names.unshift(n.name.getText(sf));
    }
    if (ts.isCaseClause(n)) names.unshift(`case ${n.expression.getText(sf)}`);
  }
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${names.slice(-2).join('.') || '-'}:${line + 1}`;
}

export function extractPairs(root = ROOT) {
  const pairs = [];
  forEachNode(root, (node, sf, rel) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['msg', 't'].includes(node.expression.text) && node.arguments.length === 2) {
      const sv = textOf(node.arguments[0], sf);
      const en = textOf(node.arguments[1], sf);
      if (sv !== undefined && en !== undefined) pairs.push({ file: rel, key: keyOf(node, sf), sv, en });
    }
  });
  return pairs;
}

/**
 * Texts in both languages written some other way than msg(sv, en): an object
 * literal { sv: text, en: text }, a ternary on the language, or a table per
 * language ({ sv: { … }, en: { … } }, or two objects named …SV and …EN).
 */
export function otherShapes(root = ROOT) {
  const found = [];
  forEachNode(root, (node, sf, rel) => {
    const at = () => `${rel} ${ts.isVariableDeclaration(node) ? `${node.name.getText(sf)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}` : keyOf(node, sf)}`;
    if (ts.isConditionalExpression(node) && /^(lang|\w+\.lang|sv)( === 'sv')?$/.test(node.condition.getText(sf))) {
      if (textOf(node.whenTrue, sf) !== undefined || textOf(node.whenFalse, sf) !== undefined) found.push(at());
    }
    const both = svEnProperties(node);
    if (both && both.some((n) => textOf(n, sf) !== undefined || ts.isObjectLiteralExpression(n))) found.push(at());
    if (ts.isVariableDeclaration(node) && /(^|_)(SV|EN)$/.test(node.name.getText(sf))) found.push(at());
  });
  return found;
}

/** Every node of every source file in src/, in order. */
function forEachNode(root, fn) {
  for (const file of listTs(path.join(root, 'src'))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const rel = path.relative(root, file).split(path.sep).join('/');
    const visit = (node) => {
      fn(node, sf, rel);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

function listTs(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listTs(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

function cell(text, sep) {
  return sep === '\t' ? text.replace(/[\t\n]/g, ' ') : text.replace(/\n/g, ' ').replace(/\|/g, '\\|');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const pairs = extractPairs();
  if (process.argv.includes('--markdown')) {
    const out = ['| file | key | sv | en |', '|---|---|---|---|', ...pairs.map((p) => `| ${p.file} | ${p.key} | ${cell(p.sv, '|')} | ${cell(p.en, '|')} |`)];
    process.stdout.write(out.join('\n') + '\n');
  } else {
    const out = ['file\tkey\tsv\ten', ...pairs.map((p) => [p.file, p.key, cell(p.sv, '\t'), cell(p.en, '\t')].join('\t'))];
    process.stdout.write(out.join('\n') + '\n');
  }
}
