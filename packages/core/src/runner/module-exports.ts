import { UserError } from '../errors.js';

type Namespace = Record<string, unknown>;

function isObject(value: unknown): value is Namespace {
  return typeof value === 'object' && value !== null;
}

/**
 * A CommonJS module imported from ESM is a namespace whose `default` is `module.exports`; its named exports are
 * whatever Node's lexer could detect. Looking inside `default` too makes `./agent.cjs:run` work either way.
 */
function commonJsExports(mod: Namespace): Namespace | undefined {
  const exports = mod.default;
  if (!isObject(exports) && typeof exports !== 'function') return undefined;
  return exports as Namespace;
}

/** The names a user could write after the colon, for "has no export" messages. */
export function exportNames(mod: Namespace): string[] {
  const names = new Set(Object.keys(mod).filter((k) => k !== 'module.exports'));
  const cjs = commonJsExports(mod);
  if (cjs && isObject(cjs)) {
    for (const k of Object.keys(cjs)) if (k !== '__esModule') names.add(k);
  }
  return [...names].sort();
}

/** The export named `name` (`default` for the default export), or undefined when the module has none. */
export function findExport(mod: Namespace, name: string): unknown {
  if (name === 'default') {
    const value = mod.default;
    // TypeScript's `export default` compiled to CommonJS: module.exports is { __esModule, default }.
    if (isObject(value) && value.__esModule === true && 'default' in value) return value.default;
    return value;
  }
  if (mod[name] !== undefined) return mod[name];
  const cjs = commonJsExports(mod);
  return cjs ? cjs[name] : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function listed(names: string[]): string {
  return names.length ? names.join(', ') : 'none';
}

function exportLabel(name: string): string {
  return name === 'default' ? 'the default export' : `export "${name}"`;
}

/** A function export, or a UserError naming the module, the export and what it has instead. */
export function functionExport(mod: Namespace, name: string, where: string): (...args: unknown[]) => unknown {
  const value = findExport(mod, name);
  if (value === undefined) {
    const missing = name === 'default' ? 'default export' : `export "${name}"`;
    throw new UserError(`${where} has no ${missing}; its exports: ${listed(exportNames(mod))}`);
  }
  if (typeof value !== 'function') {
    throw new UserError(`${exportLabel(name)} of ${where} is ${describe(value)}, not a function`);
  }
  return value as (...args: unknown[]) => unknown;
}

/** Method names an instance answers to (its class chain, up to Object), for "has no method" messages. */
export function methodNames(instance: object): string[] {
  const names = new Set<string>();
  for (let proto = instance; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor && typeof descriptor.value === 'function') names.add(key);
    }
  }
  return [...names].sort();
}

/** `instance[method]` bound to it, or a UserError listing the methods it has. */
export function boundMethod(instance: unknown, method: string, what: string): (...args: unknown[]) => unknown {
  if (!isObject(instance) && typeof instance !== 'function') {
    throw new UserError(`${what} is ${describe(instance)}, not an object with a ${method}() method`);
  }
  const fn = (instance as Namespace)[method];
  if (typeof fn !== 'function') {
    throw new UserError(`${what} has no method ${method}(); its methods: ${listed(methodNames(instance as object))}`);
  }
  return (fn as (...args: unknown[]) => unknown).bind(instance);
}
