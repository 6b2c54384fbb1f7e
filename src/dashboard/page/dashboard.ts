/**
 * The dashboard page (served at /dashboard, bundled by ../build.ts): licences and recurring
 * spend per customer and per vendor, with SVG charts drawn here. Data comes from the graph
 * on this origin only, through the typed client of examples/ (LicenseOverview, every
 * page). When the graph asks for a key (HTTP 401), the page asks for one and keeps it in
 * sessionStorage for this tab, sent as `Authorization: Bearer`.
 */
import { executeAllPages, GraphRequestError, type GraphQLErrorEntry } from '../../../examples/client.js';
import { LicenseOverviewDocument, type Vendor } from '../../../examples/gql/graphql.js';
import { formatScaled, formatTotals, summarise, type SpendSummary, type Totals } from '../../../examples/spend.js';

const KEY_STORAGE = 'channelgraph.apiKey';
const VENDOR_NAMES: Record<Vendor, string> = { LEADERCLOUD: 'Leader Cloud', CLOUDMORE: 'Cloudmore', INGRAM: 'Ingram Micro' };
const VENDOR_COLOURS: Record<Vendor, string> = { LEADERCLOUD: '#2563eb', CLOUDMORE: '#16a34a', INGRAM: '#d97706' };
const SVG = 'http://www.w3.org/2000/svg';

const app = document.getElementById('app') as HTMLElement;
const graphqlUrl = new URL(app.dataset.graphql ?? '/graphql', window.location.origin).toString();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function token(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

function setState(state: 'loading' | 'auth' | 'error' | 'ready', ...children: Node[]) {
  app.dataset.state = state;
  app.replaceChildren(...children);
}

/** Thousands separated, for reading ("12345.50" → "12,345.50"). */
function grouped(decimal: string): string {
  const [whole = '0', fraction] = decimal.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}

/** A horizontal bar chart of one currency's amounts. */
function barChart(title: string, currency: string, bars: Array<{ label: string; value: bigint; colour: string; id: string }>): HTMLElement {
  const rowHeight = 28;
  const labelWidth = 190;
  const width = 640;
  const barSpace = width - labelWidth - 130;
  const max = bars.reduce((m, b) => (b.value > m ? b.value : m), 0n);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${bars.length * rowHeight + 8}`, role: 'img', 'aria-label': `${title} (${currency})`, class: 'chart' });
  bars.forEach((bar, i) => {
    const y = i * rowHeight + 4;
    // Scaled integers to a pixel width: the ratio in thousandths is exact enough to draw.
    const length = max > 0n ? Number((bar.value * 1000n) / max) / 1000 : 0;
    chart.append(
      svg('text', { x: labelWidth - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, bar.label),
      svg('rect', { x: labelWidth, y: y + 4, width: Math.max(1, length * barSpace), height: rowHeight - 10, rx: 3, fill: bar.colour, 'data-bar': bar.id }),
      svg('text', { x: labelWidth + Math.max(1, length * barSpace) + 6, y: y + 17, class: 'chart-value' }, `${currency} ${grouped(formatScaled(bar.value))}`),
    );
  });
  return el('figure', { class: 'card' }, el('figcaption', {}, `${title} · ${currency}`), chart);
}

function totalsCell(totals: Totals, currencies: string[]): HTMLElement {
  return el('td', { class: 'amount', 'data-spend': formatTotals(totals, currencies) }, ...[...currencies.filter((c) => totals.has(c))].flatMap((c, i) => [
    ...(i ? [el('br')] : []),
    `${c} ${grouped(formatScaled(totals.get(c)!))}`,
  ]), totals.size ? '' : '—');
}

function render(summary: SpendSummary, errors: GraphQLErrorEntry[]) {
  const { customers, vendors, currencies } = summary;
  const licences = vendors.reduce((n, v) => n + v.licences, 0);
  const header = el(
    'header',
    {},
    el('h1', {}, 'Licences and spend'),
    el('p', { class: 'lede' }, `${customers.length} customers · ${licences} licences in active subscriptions · recurring charges per billing period, as each vendor prices them`),
    ...(token() ? [forgetKeyButton()] : []),
  );
  const cards = el(
    'section',
    { class: 'vendors' },
    ...vendors.map((v) =>
      el(
        'article',
        { class: 'card vendor', 'data-vendor': v.vendor, 'data-spend': formatTotals(v.spend, currencies), 'data-licences': String(v.licences) },
        el('h2', {}, VENDOR_NAMES[v.vendor]),
        el('p', { class: 'big' }, ...currencies.filter((c) => v.spend.has(c)).flatMap((c, i) => [...(i ? [el('br')] : []), `${c} ${grouped(formatScaled(v.spend.get(c)!))}`])),
        el('p', {}, `${v.customers} customers · ${v.subscriptions} subscriptions · ${v.licences} licences`),
      ),
    ),
  );
  const charts = el(
    'section',
    { class: 'charts' },
    ...currencies.map((currency) =>
      barChart(
        'Spend per vendor',
        currency,
        vendors.filter((v) => v.spend.has(currency)).map((v) => ({ id: v.vendor, label: VENDOR_NAMES[v.vendor], value: v.spend.get(currency)!, colour: VENDOR_COLOURS[v.vendor] })),
      ),
    ),
    ...(currencies[0]
      ? [
          barChart(
            'Top customers',
            currencies[0],
            customers
              .filter((c) => c.spend.has(currencies[0]!))
              .slice(0, 10)
              .map((c) => ({ id: c.id, label: c.name.length > 26 ? `${c.name.slice(0, 25)}…` : c.name, value: c.spend.get(currencies[0]!)!, colour: VENDOR_COLOURS[c.vendor] })),
          ),
        ]
      : []),
  );
  const table = el(
    'table',
    { class: 'customers' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Customer'), el('th', {}, 'Vendor'), el('th', { class: 'num' }, 'Subscriptions'), el('th', { class: 'num' }, 'Licences'), el('th', { class: 'amount' }, 'Spend'))),
    el(
      'tbody',
      {},
      ...customers.map((c) =>
        el(
          'tr',
          { 'data-customer-id': c.id },
          el('td', { class: 'name' }, c.name),
          el('td', {}, el('span', { class: `vendor-tag ${c.vendor.toLowerCase()}` }, VENDOR_NAMES[c.vendor])),
          el('td', { class: 'num' }, String(c.subscriptions)),
          el('td', { class: 'num', 'data-licences': String(c.licences) }, String(c.licences)),
          totalsCell(c.spend, currencies),
        ),
      ),
    ),
  );
  const problems = errors.length
    ? [el('section', { class: 'card warning', role: 'status' }, el('h2', {}, 'Partial data'), el('ul', {}, ...errors.slice(0, 10).map((e) => el('li', {}, `${e.extensions?.code ?? 'ERROR'}: ${e.message}`))))]
    : [];
  setState('ready', header, ...problems, cards, charts, el('section', { class: 'card' }, el('h2', {}, 'Customers'), table));
}

function forgetKeyButton(): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary' }, 'Forget API key');
  button.addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    void load();
  });
  return button;
}

function askForKey(message: string) {
  const input = el('input', { type: 'password', name: 'apiKey', autocomplete: 'off', required: '', 'aria-label': 'API key', placeholder: 'API key' });
  const form = el('form', { class: 'card key' }, el('h1', {}, 'API key'), el('p', {}, message), input, el('button', { type: 'submit' }, 'Show the dashboard'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY_STORAGE, value);
    void load();
  });
  setState('auth', form);
  input.focus();
}

async function load() {
  setState('loading', el('p', { class: 'status' }, 'Loading…'));
  try {
    const { nodes, errors } = await executeAllPages(graphqlUrl, LicenseOverviewDocument, { first: 100 }, (data) => data.customers, { token: token() });
    render(summarise(nodes), errors);
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 401) {
      const had = token();
      sessionStorage.removeItem(KEY_STORAGE);
      askForKey(had ? 'The graph refused that key. Enter an API key with the read scope.' : 'This graph needs an API key with the read scope. It is kept in this tab only (sessionStorage).');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const retry = el('button', { type: 'button' }, 'Retry');
    retry.addEventListener('click', () => void load());
    setState('error', el('section', { class: 'card warning', role: 'alert' }, el('h1', {}, 'The graph did not answer'), el('p', {}, message), retry));
  }
}

void load();
