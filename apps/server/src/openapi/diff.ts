/**
 * Classifies the differences between two OpenAPI 3.1 documents as breaking for existing clients
 * or not. Written here rather than taken from npm: the maintained differs there (openapi-diff and
 * friends) target OpenAPI 2/3.0, need Java, or report JSON-pointer edits without saying which are
 * breaking in the request and which in the response direction, which is the whole point.
 *
 * Direction matters: a request schema may accept more (widen) but not less; a response schema
 * may promise more (fields, constraints) but not return anything a client did not expect.
 */

export type ChangeKind = 'breaking' | 'additive' | 'other';

export interface Change {
  kind: ChangeKind;
  /** Where: `GET /api/v1/leads response 200 .results[].email`. */
  at: string;
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Direction = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
// Wording only: never a contract change.
const PROSE = new Set(['description', 'summary', 'title', 'examples', 'example', 'deprecated']);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asObject = (value: unknown): JsonObject => (isObject(value) ? value : {});

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => !PROSE.has(key))
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

class Differ {
  readonly changes: Change[] = [];
  constructor(
    private readonly before: JsonObject,
    private readonly after: JsonObject,
  ) {}

  add(kind: ChangeKind, at: string, message: string) {
    this.changes.push({ kind, at, message });
  }

  /** Follows a local `$ref` (`#/components/…`) in the document the schema came from. */
  private resolve(schema: unknown, document: JsonObject, seen = 0): JsonObject {
    const object = asObject(schema);
    const ref = object.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/') || seen > 20) return object;
    let target: unknown = document;
    for (const part of ref.slice(2).split('/')) {
      target = asObject(target)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    }
    return this.resolve(target, document, seen + 1);
  }

  run() {
    if (!same(this.before.security, this.after.security)) {
      this.add('breaking', 'document', 'the default security requirement changed');
    }
    const beforePaths = asObject(this.before.paths);
    const afterPaths = asObject(this.after.paths);
    for (const path of Object.keys(beforePaths)) {
      if (!(path in afterPaths)) this.add('breaking', path, 'path removed');
    }
    for (const path of Object.keys(afterPaths)) {
      if (!(path in beforePaths)) this.add('additive', path, 'path added');
    }
    for (const path of Object.keys(beforePaths)) {
      if (!(path in afterPaths)) continue;
      const beforeItem = asObject(beforePaths[path]);
      const afterItem = asObject(afterPaths[path]);
      for (const method of METHODS) {
        const at = `${method.toUpperCase()} ${path}`;
        const a = beforeItem[method];
        const b = afterItem[method];
        if (a && !b) this.add('breaking', at, 'operation removed');
        else if (!a && b) this.add('additive', at, 'operation added');
        else if (a && b) this.operation(at, asObject(a), asObject(b), beforeItem, afterItem);
      }
    }
    if (this.changes.length === 0 && !same(this.before, this.after)) {
      this.add('other', 'document', 'changed outside the paths (metadata or wording)');
    }
    return this.changes;
  }

  private operation(
    at: string,
    a: JsonObject,
    b: JsonObject,
    beforeItem: JsonObject,
    afterItem: JsonObject,
  ) {
    if (!same(a.security, b.security)) this.add('breaking', at, 'security requirement changed');
    this.parameters(
      at,
      [beforeItem.parameters, a.parameters],
      [afterItem.parameters, b.parameters],
    );
    this.requestBody(at, a.requestBody, b.requestBody);
    const beforeResponses = asObject(a.responses);
    const afterResponses = asObject(b.responses);
    for (const status of Object.keys(beforeResponses)) {
      if (!(status in afterResponses)) {
        // A client may branch on any documented success; a dropped error answer breaks nobody.
        const success = status.startsWith('2') || status === 'default';
        this.add(success ? 'breaking' : 'other', at, `response ${status} removed`);
      }
    }
    for (const status of Object.keys(afterResponses)) {
      const before = beforeResponses[status];
      const after = afterResponses[status];
      if (!before) {
        this.add('other', at, `response ${status} added`);
        continue;
      }
      const beforeContent = asObject(this.resolve(before, this.before).content);
      const afterContent = asObject(this.resolve(after, this.after).content);
      for (const type of Object.keys(beforeContent)) {
        const where = `${at} response ${status} ${type}`;
        if (!(type in afterContent)) {
          this.add('breaking', where, 'media type no longer returned');
          continue;
        }
        this.schema(
          where,
          'response',
          asObject(beforeContent[type]).schema,
          asObject(afterContent[type]).schema,
        );
      }
      for (const type of Object.keys(afterContent)) {
        if (!(type in beforeContent)) {
          this.add('breaking', `${at} response ${status} ${type}`, 'new media type returned');
        }
      }
    }
  }

  private parameterMap(lists: unknown[], document: JsonObject) {
    const map = new Map<string, JsonObject>();
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const parameter = this.resolve(item, document);
        map.set(`${String(parameter.in)} ${String(parameter.name)}`, parameter);
      }
    }
    return map;
  }

  private parameters(at: string, beforeLists: unknown[], afterLists: unknown[]) {
    const before = this.parameterMap(beforeLists, this.before);
    const after = this.parameterMap(afterLists, this.after);
    for (const [key, parameter] of before) {
      // A removed parameter is breaking: a strict endpoint rejects it, a lax one ignores the
      // filter the client relied on.
      if (!after.has(key)) this.add('breaking', `${at} parameter ${key}`, 'parameter removed');
      else {
        const next = after.get(key)!;
        if (next.required === true && parameter.required !== true) {
          this.add('breaking', `${at} parameter ${key}`, 'parameter became required');
        } else if (next.required !== true && parameter.required === true) {
          this.add('additive', `${at} parameter ${key}`, 'parameter became optional');
        }
        this.schema(`${at} parameter ${key}`, 'request', parameter.schema, next.schema);
      }
    }
    for (const [key, parameter] of after) {
      if (before.has(key)) continue;
      if (parameter.required === true) {
        this.add('breaking', `${at} parameter ${key}`, 'new required parameter');
      } else this.add('additive', `${at} parameter ${key}`, 'new optional parameter');
    }
  }

  private requestBody(at: string, beforeBody: unknown, afterBody: unknown) {
    const before = this.resolve(beforeBody, this.before);
    const after = this.resolve(afterBody, this.after);
    if (!beforeBody && !afterBody) return;
    if (!beforeBody) {
      const required = after.required === true;
      this.add(
        required ? 'breaking' : 'additive',
        `${at} request body`,
        required ? 'new required request body' : 'new optional request body',
      );
      return;
    }
    if (!afterBody) {
      this.add('breaking', `${at} request body`, 'request body removed');
      return;
    }
    if (after.required === true && before.required !== true) {
      this.add('breaking', `${at} request body`, 'request body became required');
    }
    const beforeContent = asObject(before.content);
    const afterContent = asObject(after.content);
    for (const type of Object.keys(beforeContent)) {
      const where = `${at} request ${type}`;
      if (!(type in afterContent)) this.add('breaking', where, 'media type no longer accepted');
      else {
        this.schema(
          where,
          'request',
          asObject(beforeContent[type]).schema,
          asObject(afterContent[type]).schema,
        );
      }
    }
    for (const type of Object.keys(afterContent)) {
      if (!(type in beforeContent))
        this.add('additive', `${at} request ${type}`, 'media type added');
    }
  }

  private types(schema: JsonObject): Set<string> | undefined {
    const type = schema.type;
    if (type === undefined) return undefined;
    const set = new Set(Array.isArray(type) ? type.map(String) : [String(type)]);
    if (set.has('number')) set.add('integer');
    return set;
  }

  /**
   * Compares two schemas at one place. `request`: the new one must accept everything the old one
   * did; `response`: the new one must return nothing the old one could not.
   */
  private schema(at: string, direction: Direction, beforeRaw: unknown, afterRaw: unknown) {
    const a = this.resolve(beforeRaw, this.before);
    const b = this.resolve(afterRaw, this.after);
    if (same(a, b)) return;
    // The side that may not grow: what the server accepts shrinks (request) or what it returns
    // grows (response).
    const narrowKind: ChangeKind = direction === 'request' ? 'breaking' : 'additive';
    const widenKind: ChangeKind = direction === 'request' ? 'additive' : 'breaking';

    const beforeTypes = this.types(a);
    const afterTypes = this.types(b);
    if (beforeTypes && afterTypes) {
      const lost = [...beforeTypes].filter((t) => !afterTypes.has(t));
      const gained = [...afterTypes].filter((t) => !beforeTypes.has(t));
      if (lost.length) this.add(narrowKind, at, `type no longer ${lost.join(' | ')}`);
      if (gained.length) this.add(widenKind, at, `type may now be ${gained.join(' | ')}`);
    } else if (beforeTypes && !afterTypes) {
      this.add(widenKind, at, 'type constraint removed');
    } else if (!beforeTypes && afterTypes) {
      this.add(narrowKind, at, `type now restricted to ${[...afterTypes].join(' | ')}`);
    }

    this.values(at, 'enum', a.enum, b.enum, narrowKind, widenKind);
    if ('const' in a || 'const' in b) {
      if (!same(a.const, b.const)) {
        this.add(
          'breaking',
          at,
          `const changed from ${stableJson(a.const)} to ${stableJson(b.const)}`,
        );
      }
    }
    this.bounds(at, a, b, narrowKind, widenKind);
    if (!same(a.pattern, b.pattern) || !same(a.format, b.format)) {
      // Whether one regular expression accepts a superset of another is not decidable here.
      const what = !same(a.pattern, b.pattern) ? 'pattern' : 'format';
      this.add(direction === 'request' ? 'breaking' : 'other', at, `${what} changed`);
    }

    this.properties(at, direction, a, b, narrowKind, widenKind);
    if (a.items !== undefined || b.items !== undefined) {
      this.schema(`${at}[]`, direction, a.items, b.items);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const before = a[key];
      const after = b[key];
      if (before === undefined && after === undefined) continue;
      if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        before.forEach((item, index) =>
          this.schema(`${at}<${key}${index}>`, direction, item, after[index]),
        );
      } else if (!same(before, after)) {
        this.add('breaking', at, `${key} alternatives changed (not compared one by one)`);
      }
    }
  }

  private values(
    at: string,
    name: string,
    before: Json | undefined,
    after: Json | undefined,
    narrowKind: ChangeKind,
    widenKind: ChangeKind,
  ) {
    if (before === undefined && after === undefined) return;
    if (!Array.isArray(after)) {
      this.add(widenKind, at, `${name} removed`);
      return;
    }
    if (!Array.isArray(before)) {
      this.add(narrowKind, at, `${name} added`);
      return;
    }
    const key = (value: Json) => stableJson(value);
    const afterKeys = new Set(after.map(key));
    const beforeKeys = new Set(before.map(key));
    const lost = before.filter((value) => !afterKeys.has(key(value)));
    const gained = after.filter((value) => !beforeKeys.has(key(value)));
    if (lost.length)
      this.add(narrowKind, at, `${name} value(s) removed: ${lost.map(key).join(', ')}`);
    if (gained.length)
      this.add(widenKind, at, `${name} value(s) added: ${gained.map(key).join(', ')}`);
  }

  private bounds(
    at: string,
    a: JsonObject,
    b: JsonObject,
    narrowKind: ChangeKind,
    widenKind: ChangeKind,
  ) {
    // [keyword, true when a larger value allows more]
    const keywords: [string, boolean][] = [
      ['maxLength', true],
      ['maximum', true],
      ['exclusiveMaximum', true],
      ['maxItems', true],
      ['maxProperties', true],
      ['minLength', false],
      ['minimum', false],
      ['exclusiveMinimum', false],
      ['minItems', false],
      ['minProperties', false],
    ];
    for (const [keyword, largerAllowsMore] of keywords) {
      const before = a[keyword];
      const after = b[keyword];
      if (same(before, after)) continue;
      const describe = `${keyword} ${before === undefined ? 'unset' : String(before)} → ${after === undefined ? 'unset' : String(after)}`;
      let narrowed: boolean;
      if (typeof before === 'number' && typeof after === 'number') {
        narrowed = largerAllowsMore ? after < before : after > before;
      } else narrowed = before === undefined; // a bound added narrows, a bound removed widens
      this.add(narrowed ? narrowKind : widenKind, at, describe);
    }
  }

  private properties(
    at: string,
    direction: Direction,
    a: JsonObject,
    b: JsonObject,
    narrowKind: ChangeKind,
    widenKind: ChangeKind,
  ) {
    const beforeProps = asObject(a.properties);
    const afterProps = asObject(b.properties);
    if (a.properties === undefined && b.properties === undefined) return;
    const beforeRequired = new Set(Array.isArray(a.required) ? a.required.map(String) : []);
    const afterRequired = new Set(Array.isArray(b.required) ? b.required.map(String) : []);
    const closed = b.additionalProperties === false;
    for (const name of Object.keys(beforeProps)) {
      const where = `${at}.${name}`;
      if (!(name in afterProps)) {
        if (direction === 'response') {
          // Optional or not, a client may read it.
          this.add('breaking', where, 'response field removed');
        } else {
          this.add(
            closed ? 'breaking' : 'additive',
            where,
            closed ? 'request field removed (now rejected)' : 'request field removed (ignored)',
          );
        }
        continue;
      }
      const wasRequired = beforeRequired.has(name);
      const isRequired = afterRequired.has(name);
      if (wasRequired !== isRequired) {
        // Request: required is narrower. Response: optional is wider (may be missing).
        if (isRequired) {
          this.add(
            narrowKind,
            where,
            direction === 'request'
              ? 'request field became required'
              : 'response field now always present',
          );
        } else {
          this.add(
            widenKind,
            where,
            direction === 'request'
              ? 'request field became optional'
              : 'response field may now be missing',
          );
        }
      }
      this.schema(where, direction, beforeProps[name], afterProps[name]);
    }
    for (const name of Object.keys(afterProps)) {
      if (name in beforeProps) continue;
      const where = `${at}.${name}`;
      const required = afterRequired.has(name);
      if (direction === 'request') {
        this.add(
          required ? 'breaking' : 'additive',
          where,
          required ? 'new required request field' : 'new optional request field',
        );
      } else {
        this.add('additive', where, 'response field added');
      }
    }
  }
}

/** Every classified difference between two documents (empty when they are the same contract). */
export function diffOpenApi(before: unknown, after: unknown): Change[] {
  return new Differ(asObject(before), asObject(after)).run();
}

/** The changes as lines for a failure message, breaking ones first. */
export function formatChanges(changes: readonly Change[]): string {
  const order: ChangeKind[] = ['breaking', 'additive', 'other'];
  return order
    .flatMap((kind) =>
      changes
        .filter((c) => c.kind === kind)
        .map((c) => `  ${kind.padEnd(8)} ${c.at}: ${c.message}`),
    )
    .join('\n');
}
