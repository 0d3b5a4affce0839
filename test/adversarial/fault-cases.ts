/**
 * Fault injection through the runtime harnesses, beyond what the conformance
 * table already covers on every host (a missing variant file, a manifest of
 * wrong shapes, a truncated manifest.json on the Node server, an exception
 * inside the decision). Added here, on every host output:
 * - variant entries that are not content hashes: path traversal, a file name,
 *   upper case, an encoded path, and a "hash" naming the manifest itself;
 * - a manifest of another version.
 * The Node server, the one host that reads manifest.json at run time, gets its
 * own file faults in node-faults.test.ts.
 */
import { chosen, NO_CACHE, NO_STORE, UNTOUCHED, type HostileCase } from './hostile-cases.ts';

export const FAULTS: readonly HostileCase[] = [
  {
    name: 'fault: a variant entry with path traversal serves the default (rule)',
    site: 'badhash',
    url: '/pricing/',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'fault: a variant entry with path traversal serves the default (choice, stored like any choice of a value without a file)',
    site: 'badhash',
    url: '/pricing/?segment=customer',
    expect: { status: 200, marker: 'pricing-default', setCookie: chosen('audience:customer'), cacheControl: NO_STORE },
  },
  {
    name: 'fault: an upper-case variant hash serves the default',
    site: 'badhash',
    url: '/pricing/?utm_source=partnerhub',
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'fault: a variant entry that is a file name serves the default',
    site: 'badhash',
    url: '/pricing/',
    headers: { referer: 'https://www.news.example/' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'fault: a variant "hash" naming the manifest never serves the manifest',
    site: 'badhash',
    url: '/offers/',
    country: 'DE',
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'fault: a path as a variant entry serves the default',
    site: 'badhash',
    url: '/offers/',
    country: 'US',
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'fault: a manifest of another version leaves every page untouched',
    site: 'version2',
    url: '/pricing/?segment=customer',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'fault: a manifest of another version ignores platform geo too',
    site: 'version2',
    url: '/offers/',
    country: 'DE',
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: UNTOUCHED },
  },
];
