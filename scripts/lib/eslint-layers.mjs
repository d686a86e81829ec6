/**
 * ESLint rule `layers/no-import-across`: the dependency rules of DESIGN §1 on resolved paths.
 *
 * `no-restricted-imports` matches the specifier as written, so it cannot tell
 * `src/db/x.ts -> ../email/outbox` (src/db/email, allowed) from `src/db/x.ts -> ../email/sender`
 * (src/email, forbidden). This rule resolves every relative specifier (import, export ... from,
 * import(), require()) against the importing file and checks the result, relative to the repo
 * root, against zones:
 *
 *   { files: ['src/db/'], except: [...], forbid: ['src/email/'], message }
 *
 * A file under `files` (and not under `except`) must not import anything under `forbid`.
 * Type-only imports count too: the rule is about which layer knows which.
 */
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

const rel = (abs) => path.relative(ROOT, abs).split(path.sep).join('/');
const under = (file, prefixes) => prefixes.some((p) => file === p.replace(/\/$/, '') || file.startsWith(p));

const noImportAcross = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer dependency rules of DESIGN §1 on resolved import paths' },
    schema: [
      {
        type: 'object',
        properties: {
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                files: { type: 'array', items: { type: 'string' } },
                except: { type: 'array', items: { type: 'string' } },
                forbid: { type: 'array', items: { type: 'string' } },
                message: { type: 'string' },
              },
              required: ['files', 'forbid', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['zones'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const file = rel(context.filename);
    const zones = context.options[0].zones.filter(
      (z) => under(file, z.files) && !under(file, z.except ?? []),
    );
    if (zones.length === 0) return {};
    const check = (source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = rel(path.resolve(path.dirname(context.filename), source.value));
      for (const zone of zones) {
        if (under(target, zone.forbid)) {
          context.report({ node: source, message: `${zone.message} (${file} imports ${target})` });
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

export default { rules: { 'no-import-across': noImportAcross } };
