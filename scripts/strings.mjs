#!/usr/bin/env node
// Every Swedish/English pair a user can read, found statically in src/ with
// the TypeScript parser, as a table a translator can review:
//   npm run strings                 tab-separated: file, key, sv, en
//   npm run strings -- --markdown   a markdown table
// A pair is any of: msg(sv, en) / remedy(msg(…)) / t(sv, en) calls; an object
// literal { sv, en }; `lang === 'sv' ? sv : en`; and objects keyed sv and en
// whose values are objects of texts (the help texts, the report's words),
// paired key by key. Interpolations show as {expression}.
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

function propertyName(p, sf) {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : p.name?.getText(sf);
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
  const files = listTs(path.join(root, 'src'));
  const pairs = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const rel = path.relative(root, file).split(path.sep).join('/');
    const add = (node, sv, en) => pairs.push({ file: rel, key: keyOf(node, sf), sv, en });
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['msg', 't'].includes(node.expression.text) && node.arguments.length === 2) {
        const sv = textOf(node.arguments[0], sf);
        const en = textOf(node.arguments[1], sf);
        if (sv !== undefined && en !== undefined) add(node, sv, en);
      } else if (ts.isConditionalExpression(node) && /^(lang|\w+\.lang|options\.lang|sv)( === 'sv')?$/.test(node.condition.getText(sf))) {
        const sv = textOf(node.whenTrue, sf);
        const en = textOf(node.whenFalse, sf);
        if (sv !== undefined && en !== undefined) add(node, sv, en);
      } else {
        const both = svEnProperties(node);
        if (both) {
          const [svNode, enNode] = both;
          const sv = textOf(svNode, sf);
          const en = textOf(enNode, sf);
          if (sv !== undefined && en !== undefined) add(node, sv, en);
          else if (ts.isObjectLiteralExpression(svNode) && ts.isObjectLiteralExpression(enNode)) pairObjects(svNode, enNode, sf, add);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    // Two objects in one file named SV and EN (or *_SV and *_EN): paired key by key.
    const objects = new Map();
    sf.forEachChild((st) => {
      if (!ts.isVariableStatement(st)) return;
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && ts.isAsExpression(d.initializer) ? d.initializer.expression : d.initializer;
        if (init && ts.isObjectLiteralExpression(init)) objects.set(d.name.getText(sf), init);
      }
    });
    for (const [name, sv] of objects) {
      const m = /^(.*)SV$/.exec(name);
      const en = m && objects.get(`${m[1]}EN`);
      if (en) pairObjects(sv, en, sf, add);
    }
  }
  return pairs;
}

function pairObjects(svObj, enObj, sf, add) {
  const enProps = new Map(enObj.properties.filter(ts.isPropertyAssignment).map((p) => [propertyName(p, sf), p]));
  for (const p of svObj.properties.filter(ts.isPropertyAssignment)) {
    const other = enProps.get(propertyName(p, sf));
    const sv = textOf(p.initializer, sf);
    const en = other ? textOf(other.initializer, sf) : undefined;
    if (sv !== undefined) add(p, sv, en ?? '');
  }
  // A key only the English side has is an untranslated text too.
  const svKeys = new Set(svObj.properties.filter(ts.isPropertyAssignment).map((p) => propertyName(p, sf)));
  for (const [k, p] of enProps) {
    const en = textOf(p.initializer, sf);
    if (!svKeys.has(k) && en !== undefined) add(p, '', en);
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
