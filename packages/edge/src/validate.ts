/**
 * The one check of a manifest's shape, run by the build before it writes
 * manifest.json and by the Node server when it reads one: everything the
 * router writes into a response (the cookie's name and lifetime, declared
 * names, variant file names) must be safe to write as it is.
 */
import { MANIFEST_VERSION, type Manifest } from './manifest.ts';

const NAME = /^[a-z][a-z0-9_]{0,31}$/;
const RESERVED = ['reset', 'otherwise', 'default', 'constructor', 'prototype', 'tostring', 'valueof', 'hasownproperty'];
/** A cookie name: RFC 6265's token characters. The options schema checks the site's names with it too. */
export const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HASH = /^[a-z0-9]{6,64}$/;
const MAX_AGE = 400 * 86_400;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value == 'object' && value !== null && !Array.isArray(value);
const isName = (value: unknown) => typeof value == 'string' && NAME.test(value) && !RESERVED.includes(value);
const isLifetime = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_AGE;

/** Every problem with `value` as a manifest, in words; empty when the router may use it. */
export function manifestProblems(value: unknown): string[] {
  return [
    ...globalProblems(value).problems,
    ...Object.keys(Object((value as Manifest | null)?.routes)).flatMap((route) => routeProblems(value as Manifest, route, globalProblems(value).declared)),
  ];
}

/**
 * The manifest with only the routes the router can read, or undefined when its shared parts
 * (cookie, names, parameters) are wrong: a server that reads manifest.json at run time
 * serves a broken route as its default page and keeps the others personalized.
 */
export function usableManifest(value: unknown): Manifest | undefined {
  const { problems, declared } = globalProblems(value);
  if (problems.length > 0 || !isObject((value as Manifest).routes)) return undefined;
  const m = value as Manifest;
  return { ...m, routes: Object.fromEntries(Object.entries(m.routes).filter(([route]) => routeProblems(m, route, declared, false).length === 0)) };
}

function globalProblems(value: unknown): { problems: string[]; declared: Map<string, Set<string>> } {
  const problems: string[] = [];
  const m = value as Manifest;
  const declared = new Map<string, Set<string>>();
  if (!isObject(value)) return { problems: ['the manifest is not an object'], declared };
  if (m.version !== MANIFEST_VERSION) problems.push(`version ${String(m.version)} is not ${MANIFEST_VERSION}`);
  if (typeof m.prefix != 'string' || !/^\/(?:[^/?#]+\/)*$/.test(m.prefix)) problems.push(`prefix must start and end with /`);
  for (const key of ['param', 'previewParam'] as const)
    if (typeof m[key] != 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(m[key])) problems.push(`${key} is not a parameter name`);
  if (!isObject(m.cookie) || typeof m.cookie.name != 'string' || !COOKIE_NAME.test(m.cookie.name) || !isLifetime(m.cookie.maxAge))
    problems.push('cookie needs a valid name and a lifetime of at most 400 days');
  if (typeof m.debug != 'boolean') problems.push('debug is not a boolean');
  const h = m.holdout;
  if (
    h !== undefined &&
    (!isObject(h) || !(h.share > 0 && h.share < 1) || !COOKIE_NAME.test(String(h.consent)) || !COOKIE_NAME.test(String(h.cookie)) || !isLifetime(h.maxAge))
  )
    problems.push('holdout is malformed');
  if (!Array.isArray(m.dimensions)) problems.push('dimensions is not a list');
  else
    for (const d of m.dimensions as unknown as Record<string, string & unknown[]>[]) {
      if (!isObject(d) || !isName(d.name) || !Array.isArray(d.values)) {
        problems.push('a dimension needs a name and values');
        continue;
      }
      const names = new Set<string>();
      for (const v of d.values as unknown as Record<string, string & unknown[]>[]) {
        if (!isObject(v) || !isName(v.name) || !Array.isArray(v.rules) || !v.rules.every(isObject))
          problems.push(`${d.name}: a value needs a name and a list of rules`);
        else names.add(v.name as string);
      }
      if (!names.has(d.default as string)) problems.push(`${d.name}: default is not a value`);
      if (declared.has(d.name as string)) problems.push(`${d.name}: declared twice`);
      declared.set(d.name as string, names);
    }
  if (!isObject(m.routes)) problems.push('routes is not an object');
  return { problems, declared };
}

/** `hashes`: also check variant entries are content hashes (the router itself never serves one that is not). */
function routeProblems(m: Manifest, route: string, declared: ReadonlyMap<string, ReadonlySet<string>>, hashes = true): string[] {
  const problems: string[] = [];
  const entry = m.routes[route] as unknown;
  if (!route.startsWith('/') || (route != '/' && route.endsWith('/'))) problems.push(`route "${route}" is not normalized`);
  if (!isObject(entry) || !Array.isArray(entry.dims) || !isObject(entry.variants)) return [...problems, `${route}: needs dims and variants`];
  const dims = entry.dims as string[];
  for (const name of dims) if (!declared.has(name)) problems.push(`${route}: unknown dimension ${String(name)}`);
  for (const [key, hash] of Object.entries(entry.variants)) {
    const values = key.split('/');
    if (values.length != dims.length || !values.every((v, i) => declared.get(dims[i]!)?.has(v)))
      problems.push(`${route}: variant key "${key}" does not match its dimensions`);
    if (hashes && (typeof hash != 'string' || !HASH.test(hash))) problems.push(`${route}: variant "${key}" is not a content hash`);
  }
  return problems;
}
