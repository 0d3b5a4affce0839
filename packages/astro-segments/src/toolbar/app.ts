/**
 * The Astro Dev Toolbar app (browser code, `astro dev` only). It reads what the
 * dev middleware embedded in the page (see `page-data.ts`) and changes the
 * page only by navigating with the same query parameters a visitor could use:
 *
 * - a value: `?segment-preview=dimension:value` (this response only), or with
 *   "Remember", `?segment=dimension:value` (sets the cookie, as deployed);
 * - reset: `?segment=reset` (clears the cookie) without previews or simulations;
 * - simulated signals: `?segment-country=`, `-referrer=`, `-language=`, `-gpc=1`.
 *
 * The app reopens itself after the navigation it caused (a flag in sessionStorage).
 */
import { defineToolbarApp } from 'astro/toolbar';
import setupHint from 'virtual:astro-segments/toolbar-setup';
import type { ToolbarData, ToolbarDimension } from './page-data.ts';

const DATA_ID = 'astro-segments-dev';
const REOPEN = 'astro-segments:reopen';
const REMEMBER = 'astro-segments:remember';

type Child = Node | string | false | null | undefined;

/** Create an element with attributes (`on*` functions become listeners) and children. */
function h(tag: string, attributes: Record<string, string | boolean | ((event: Event) => void)> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

function readData(): ToolbarData | undefined {
  const text = document.getElementById(DATA_ID)?.textContent;
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as ToolbarData;
    return data.version === 1 ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Navigate to this page with changed query parameters; the app opens again on arrival. */
function go(change: (params: URLSearchParams) => void): void {
  const url = new URL(location.href);
  change(url.searchParams);
  sessionStorage.setItem(REOPEN, '1');
  location.assign(url.href);
}

/** Keep the other dimensions' previews; set (or, without `value`, drop) this one's. */
function setPreview(params: URLSearchParams, data: ToolbarData, dimension: string, value: string | undefined): void {
  const items = params
    .getAll(data.previewParam)
    .flatMap((list) => list.split(','))
    .map((item) => item.trim())
    .filter((item) => item && !item.startsWith(`${dimension}:`));
  if (value) items.push(`${dimension}:${value}`);
  params.delete(data.previewParam);
  if (items.length) params.set(data.previewParam, items.join(','));
}

function dimensionSection(data: ToolbarData, dimension: ToolbarDimension, remember: () => boolean): HTMLElement {
  const current = dimension.values.find((value) => value.name === dimension.value);
  const buttons = dimension.values.map((value) =>
    h(
      'button',
      {
        type: 'button',
        class: 'value',
        'data-value': value.name,
        'aria-pressed': String(value.name === dimension.value),
        title: value.rules.length ? `When ${value.rules.join(', or ')}` : value.name === dimension.default ? 'The default' : 'Only by choice',
        onclick: () =>
          go((params) => {
            params.delete(data.param);
            // A preview wins over a choice, so a remembered value drops this dimension's preview.
            setPreview(params, data, dimension.name, remember() ? undefined : value.name);
            if (remember()) params.set(data.param, `${dimension.name}:${value.name}`);
          }),
      },
      h('span', { class: 'label' }, value.label),
      value.label !== value.name && h('span', { class: 'name' }, value.name),
      value.name === dimension.default && h('span', { class: 'tag' }, 'default'),
    ),
  );
  return h(
    'section',
    { class: 'dimension', 'data-dimension': dimension.name },
    h('h2', {}, dimension.name),
    h('p', { class: 'why' }, h('strong', { class: 'current' }, current?.label ?? dimension.value), ' — ', h('span', { class: 'reason' }, dimension.why)),
    h('div', { class: 'values', role: 'group', 'aria-label': `${dimension.name} values` }, ...buttons),
  );
}

function simulateForm(data: ToolbarData): HTMLElement {
  const field = (name: 'country' | 'referrer' | 'language', label: string, placeholder: string) =>
    h('label', {}, label, h('input', { name, value: data.simulated[name], placeholder, autocomplete: 'off', spellcheck: 'false' }));
  const form = h(
    'form',
    {
      class: 'simulate',
      onsubmit: (event) => {
        event.preventDefault();
        const fields = new FormData(event.currentTarget as HTMLFormElement);
        go((params) => {
          for (const name of ['country', 'referrer', 'language'] as const) {
            const value = String(fields.get(name) ?? '').trim();
            if (value) params.set(`${data.param}-${name}`, value);
            else params.delete(`${data.param}-${name}`);
          }
          if (fields.get('gpc')) params.set(`${data.param}-gpc`, '1');
          else params.delete(`${data.param}-gpc`);
        });
      },
    },
    h('h2', {}, 'Simulate signals'),
    h(
      'div',
      { class: 'fields' },
      field('country', 'Country', 'DE'),
      field('referrer', 'Referrer host', 'news.ycombinator.com'),
      field('language', 'Language', 'de'),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'gpc', checked: data.simulated.gpc === '1' }), 'Global Privacy Control'),
    ),
    h('button', { type: 'submit', class: 'action' }, 'Apply'),
  );
  return form;
}

function render(data: ToolbarData | undefined): HTMLElement {
  // Pages that are not personalized carry no data: build the link from Vite's base.
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const report = data?.report ?? `${base.replace(/\/+$/, '')}/_astro-segments/report.html`;
  const footer = h(
    'footer',
    {},
    h('a', { href: report, target: '_blank', rel: 'noopener', class: 'report' }, 'Build report'),
    h('span', {}, ' from the last astro build (.astro-segments/report.html, never deployed)'),
  );
  if (setupHint) {
    // No dimension declared yet (as `astro add` leaves the config): the one next step.
    return h(
      'div',
      { class: 'content' },
      h('h1', {}, 'Segments'),
      h('p', { class: 'setup' }, setupHint.message),
      h('p', {}, h('a', { href: setupHint.docs, target: '_blank', rel: 'noopener', class: 'docs' }, 'How to declare dimensions')),
    );
  }
  if (!data) {
    return h(
      'div',
      { class: 'content' },
      h('h1', {}, 'Segments'),
      h('p', { class: 'none' }, 'This page is not personalized: it has no segment blocks, so every visitor sees it as it is.'),
      footer,
    );
  }
  const rememberBox = h('input', { type: 'checkbox', id: 'remember', checked: sessionStorage.getItem(REMEMBER) === '1' }) as HTMLInputElement;
  rememberBox.addEventListener('change', () => sessionStorage.setItem(REMEMBER, rememberBox.checked ? '1' : '0'));
  return h(
    'div',
    { class: 'content' },
    h('h1', {}, 'Segments'),
    h('p', { class: 'lead' }, `This page varies on ${data.dimensions.map((d) => d.name).join(', ')}. Pick a value to see that version.`),
    ...data.dimensions.map((dimension) => dimensionSection(data, dimension, () => rememberBox.checked)),
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'check' }, rememberBox, `Remember the choice (?${data.param}=, sets the "${data.cookie}" cookie as deployed)`),
      h(
        'button',
        {
          type: 'button',
          class: 'action reset',
          onclick: () =>
            go((params) => {
              params.delete(data.previewParam);
              for (const name of ['country', 'referrer', 'language', 'gpc']) params.delete(`${data.param}-${name}`);
              params.set(data.param, 'reset');
            }),
        },
        'Reset to the standard version',
      ),
    ),
    simulateForm(data),
    footer,
  );
}

const STYLE = `
.content { min-height: 0; overflow: auto; font-size: 14px; line-height: 1.4; }
h1 { margin: 0 0 4px; font-size: 18px; color: #fff; }
h2 { margin: 0 0 4px; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: #fff; }
p { margin: 0 0 8px; }
section.dimension { border-top: 1px solid #343841; padding: 8px 0; }
.why .current { color: #fff; }
.reason { color: #bfc1c9; }
.values { display: flex; flex-wrap: wrap; gap: 6px; }
button, input { font: inherit; }
button.value { border: 1px solid #5a5f6b; background: #23262d; color: #e3e5eb; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button.value[aria-pressed="true"] { background: #7c5cff; border-color: #a48dff; color: #fff; }
button.value .name, button.value .tag { margin-left: 6px; font-size: 12px; opacity: .75; }
button.value .tag { border: 1px solid currentColor; border-radius: 4px; padding: 0 4px; }
.row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; border-top: 1px solid #343841; padding: 10px 0; }
label.check { display: inline-flex; align-items: center; gap: 6px; }
button.action { border: 1px solid #5a5f6b; background: #343841; color: #fff; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
form.simulate { border-top: 1px solid #343841; padding: 10px 0; }
.fields { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px 12px; margin-bottom: 8px; }
.fields label:not(.check) { display: flex; flex-direction: column; font-size: 12px; }
.fields input:not([type]) { background: #0d0e11; color: #fff; border: 1px solid #5a5f6b; border-radius: 6px; padding: 4px 8px; }
footer { border-top: 1px solid #343841; padding-top: 10px; font-size: 12px; }
footer a, a.docs { color: #b8a6ff; }
`;

export default defineToolbarApp({
  init(canvas, app) {
    const data = readData();
    const win = document.createElement('astro-dev-toolbar-window');
    // Room for every dimension, the actions and the simulation without scrolling on a laptop screen.
    win.style.maxHeight = 'min(720px, calc(100vh - 96px))';
    win.style.width = 'min(720px, 100%)';
    win.append(h('style', {}, STYLE), render(data));
    canvas.append(win);
    app.onToolbarPlacementUpdated(({ placement }) => {
      win.placement = placement;
    });
    // A dot on the icon says "this page is personalized", or "there is a next step".
    if (data || setupHint) app.toggleNotification({ state: true, level: 'info' });
    if (sessionStorage.getItem(REOPEN) === '1') {
      sessionStorage.removeItem(REOPEN);
      // Astro marks the app ready once init returns; open it right after.
      setTimeout(() => app.toggleState({ state: true }), 0);
    }
  },
});
