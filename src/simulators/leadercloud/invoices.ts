/** /api/invoices: list, detail, items, custom fields and related orders (read-only). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LcInvoice, LcState } from './data.js';
import type { FieldMap } from './filter.js';
import { paged, q, query, type RouteContext } from './http.js';
import { boolQuery, guidParam, notFound, parseInclude } from './util.js';
import { customFieldsDto, invoiceDto, invoiceItemDto, invoiceTotals } from './views.js';

/** `analysisItems` is documented as an include value but the Invoice definition has no property for it: accepted, adds nothing. */
const INVOICE_INCLUDES = ['customFields', 'items', 'analysisItems'] as const;

function fieldsFor(state: LcState): FieldMap<LcInvoice> {
  const status = { type: 'enum' as const, values: ['Paid', 'Unpaid', 'Canceled'], get: (i: LcInvoice) => i.status, sortable: true };
  const account = { type: 'int' as const, get: (i: LcInvoice) => i.accountId, sortable: true };
  return {
    id: { type: 'guid', get: (i) => i.id, sortable: true },
    code: { type: 'string', get: (i) => i.code, sortable: true },
    status,
    'status/type': status,
    accountId: account,
    'account/id': account,
    'account/name': { type: 'string', get: (i) => state.accountById.get(i.accountId)?.name },
    currency: { type: 'string', get: (i) => i.currency },
    total: { type: 'number', get: (i) => invoiceTotals(state, i).total, sortable: true },
    unpaidAmount: { type: 'number', get: (i) => (i.status === 'Unpaid' ? invoiceTotals(state, i).total : 0) },
    invoiceDate: { type: 'date', get: (i) => i.invoiceDate, sortable: true },
    dueDate: { type: 'date', get: (i) => i.dueDate, sortable: true },
    paidDate: { type: 'date', get: (i) => i.paidDate, sortable: true },
    createdAt: { type: 'date', get: (i) => i.createdAt, sortable: true },
    updatedAt: { type: 'date', get: (i) => i.updatedAt, sortable: true },
  };
}

export function findInvoice(state: LcState, raw: unknown): LcInvoice {
  const id = guidParam(raw, 'invoiceId');
  const invoice = state.invoiceById.get(id);
  if (!invoice) throw notFound('InvoiceNotFoundError', 'Invoice', id);
  return invoice;
}

/** transactionCurrency / skipRounding: validated; amounts are already in the transaction currency with two decimals. */
function checkFlags(request: FastifyRequest, extra: string[] = []): void {
  for (const name of ['transactionCurrency', 'skipRounding', ...extra]) boolQuery(q(request, name), name);
}

export function registerInvoices(app: FastifyInstance, ctx: RouteContext): void {
  const { state } = ctx;
  const fields = fieldsFor(state);
  const invoice = (request: { params: unknown }) => findInvoice(state, (request.params as { invoiceId: string }).invoiceId);

  app.get('/api/invoices', async (request) => {
    checkFlags(request);
    const include = parseInclude(q(request, 'include'), INVOICE_INCLUDES, 'invoices');
    return paged(request, query(request, state.invoices, fields, 'invoices'), (i) => invoiceDto(state, i, include));
  });

  app.get('/api/invoices/:invoiceId', async (request) => {
    checkFlags(request);
    const include = parseInclude(q(request, 'include'), INVOICE_INCLUDES, 'invoices');
    return invoiceDto(state, invoice(request), include);
  });

  app.get('/api/invoices/:invoiceId/items', async (request) => {
    checkFlags(request, ['analysis']);
    const inv = invoice(request);
    return inv.items.map((i) => invoiceItemDto(state, inv, i));
  });

  app.get('/api/invoices/:invoiceId/customfields', async (request) => customFieldsDto('invoice', invoice(request).customFields));

  app.get('/api/invoices/:invoiceId/orders', async (request) =>
    invoice(request).orderIds.map((id) => {
      const o = state.orderById.get(id);
      return o ? { id: o.id, code: o.code } : { id };
    }),
  );
}
