import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}

/** One operation of GitHub's REST description, found for a concrete request path. */
export interface SpecOperation {
  /** `METHOD /template` as GitHub's description writes it. */
  route: string;
  operation: Operation;
  params: Record<string, string>;
}

interface Template {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  literals: number;
  operation: Operation;
}

// GitHub's own description of api.github.com (OpenAPI 3.0.3), read once per process: only this file of the
// package is read (13 MB; the package holds ten descriptions, ~390 MB in all).
const SPEC_FILE = 'generated/api.github.com.json';

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Json>>;
}

function loadSpec(): Spec {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@octokit/openapi/package.json'));
  return JSON.parse(readFileSync(path.join(dir, SPEC_FILE), 'utf8')) as Spec;
}

/**
 * Rewrites the description's document-local `$ref`s so they resolve in the schema registered as `gh`, and its
 * `nullable` without a `type` (OpenAPI 3.0 allows it, ajv does not) as "this or null".
 */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `gh${v}` : rebase(v);
  }
  if (out['nullable'] === true && out['type'] === undefined) {
    delete out['nullable'];
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function templates(spec: Spec): Template[] {
  const list: Template[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const pattern = new RegExp(`^${source}$`);
      list.push({ method: method.toUpperCase(), template, pattern, names, literals, operation });
    }
  }
  // A literal segment beats a parameter (`/issues/comments/{id}` before `/issues/{number}/…`).
  return list.sort((a, b) => b.literals - a.literals);
}

const describe = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');

/**
 * GitHub's published REST contract (`@octokit/openapi`, the api.github.com description), for holding both sides
 * of the fake to it: what the app sends (route, path and query parameters, body) and what the fake answers.
 * Each method returns the problems found; an empty list means the call is one real GitHub would accept.
 */
export class GitHubContract {
  private static shared: GitHubContract | undefined;
  private readonly ajv: Ajv;
  private readonly routes: Template[];
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly spec: Spec) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
    addFormats.default(this.ajv);
    const { schemas, parameters, responses, headers } = spec.components;
    this.ajv.addSchema(rebase({ components: { schemas, parameters, responses, headers } }) as Json, 'gh');
    this.routes = templates(spec);
  }

  /** The contract, loaded on first use and shared by every fake in the process. */
  static get(): GitHubContract {
    GitHubContract.shared ??= new GitHubContract(loadSpec());
    return GitHubContract.shared;
  }

  /** The operation GitHub documents for `method path`, or undefined when the route does not exist. */
  find(method: string, pathname: string): SpecOperation | undefined {
    for (const t of this.routes) {
      if (t.method !== method) continue;
      const m = t.pattern.exec(pathname);
      if (!m) continue;
      const params = Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      return { route: `${method} ${t.template}`, operation: t.operation, params };
    }
    return undefined;
  }

  /** Problems with a request: unknown route, ill-typed path or query parameters, a body the route does not take. */
  checkRequest(method: string, pathname: string, query: URLSearchParams, body: unknown): string[] {
    const op = this.find(method, pathname);
    if (!op) return [`${method} ${pathname} is not in GitHub's REST API description`];
    const problems: string[] = [];
    const declared = (op.operation.parameters ?? []).map((p) => this.deref<Parameter>(p));
    for (const p of declared.filter((x) => x.in === 'path')) {
      problems.push(...this.checkValue(op, `path parameter ${p.name}`, p.schema, op.params[p.name]));
    }
    const queryParams = declared.filter((x) => x.in === 'query');
    for (const key of new Set(query.keys())) {
      const p = queryParams.find((x) => x.name === key);
      if (!p) problems.push(`${op.route}: unknown query parameter ${key}`);
      else problems.push(...this.checkValue(op, `query parameter ${key}`, p.schema, query.get(key) ?? ''));
    }
    for (const p of queryParams.filter((x) => x.required && !query.has(x.name))) {
      problems.push(`${op.route}: missing query parameter ${p.name}`);
    }
    problems.push(...this.checkBody(op, body));
    return problems;
  }

  /** Problems with an answer: a success status the route does not document, or a body off its schema. */
  checkResponse(method: string, pathname: string, status: number, body: unknown): string[] {
    const op = this.find(method, pathname);
    if (!op) return [];
    const response = op.operation.responses[String(status)];
    if (!response) return status < 300 ? [`${op.route}: GitHub does not answer ${status}`] : [];
    const content = this.deref<{ content?: Record<string, { schema?: Json }> }>(response).content;
    const schema = content?.['application/json']?.schema;
    if (!schema) return [];
    const validate = this.validator(`${op.route} ${status}`, schema);
    return validate(body) ? [] : [`${op.route} answer ${status}: ${describe(validate.errors)}`];
  }

  private checkBody(op: SpecOperation, body: unknown): string[] {
    const schema = op.operation.requestBody?.content?.['application/json']?.schema;
    const empty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
    if (!schema) return empty ? [] : [`${op.route}: takes no request body`];
    const validate = this.validator(`${op.route} request`, schema);
    return validate(body ?? {}) ? [] : [`${op.route} request body: ${describe(validate.errors)}`];
  }

  private checkValue(op: SpecOperation, what: string, schema: Json | undefined, raw: string | undefined): string[] {
    if (!schema || raw === undefined) return [];
    const type = schema['type'];
    const value = type === 'integer' || type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : raw;
    const validate = this.validator(`${op.route} ${what}`, schema);
    return validate(value) ? [] : [`${op.route}: ${what} ${JSON.stringify(raw)}: ${describe(validate.errors)}`];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /**
   * A deep copy of the first example GitHub documents for `route` (`METHOD /template`) answering `status`: the
   * fake starts every answer from it, so fields it does not model still look as GitHub's do.
   */
  example(route: string, status: number): Json {
    const [method = '', template = ''] = route.split(' ');
    const response = this.spec.paths[template]?.[method.toLowerCase()]?.responses[String(status)];
    const content = response && this.deref<{ content?: Record<string, { examples?: Record<string, Json> }> }>(response);
    const first = Object.values(content?.content?.['application/json']?.examples ?? {})[0];
    const value = first && this.deref<{ value?: unknown }>(first).value;
    if (value === undefined) throw new Error(`GitHub documents no example answer ${status} for ${route}`);
    return structuredClone(Array.isArray(value) ? (value[0] as Json) : (value as Json));
  }

  /** Follows a `#/components/<kind>/<name>` reference of the description (parameters, responses). */
  private deref<T>(node: T | { $ref: string }): T {
    const ref = (node as { $ref?: string }).$ref;
    if (!ref) return node as T;
    const [, , kind = '', name = ''] = ref.split('/');
    return this.spec.components[kind]?.[name] as T;
  }
}
