/** /api/invoices: list, detail, items, custom fields and related orders (read-only). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LcInvoice, LcState } from './data.js';
import { invoiceFields } from './fields.js';
import { paged, q, query, type RouteContext } from './http.js';
import { boolQuery, guidParam, notFound, parseInclude } from './util.js';
import { customFieldsDto, invoiceDto, invoiceItemDto } from './views.js';

/** `analysisItems` is documented as an include value but the Invoice definition has no property for it: accepted, adds nothing. */
const INVOICE_INCLUDES = ['customFields', 'items', 'analysisItems'] as const;

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
  const fields = invoiceFields(state);
  const invoice = (request: { params: unknown }) => findInvoice(state, (request.params as { invoiceId: string }).invoiceId);

  app.get('/api/invoices', async (request) => {
    checkFlags(request);
    const include = parseInclude(q(request, 'include'), INVOICE_INCLUDES, 'invoices');
    return paged(request, query(ctx, request, state.invoices, fields, 'invoices'), (i) => invoiceDto(state, i, include));
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
