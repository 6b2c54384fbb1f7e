/**
 * A typed GraphQL client in a few lines: fetch plus the typed document strings that
 * graphql-codegen's client preset generates from examples/*.graphql (examples/gql/).
 * Result and variables types come from the document, so `execute(url, LicenseOverviewDocument,
 * { first: 50 })` is checked at compile time. Works in browsers and in Node 20 (global fetch).
 */
import type { TypedDocumentString } from './gql/graphql.js';

export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface ExecuteResult<TResult> {
  data: TResult | null | undefined;
  errors: GraphQLErrorEntry[];
  status: number;
}

export interface ExecuteOptions {
  /** An API key or JWT, sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  signal?: AbortSignal;
}

/** Thrown when the graph answers without data (HTTP 401, 429, a refused query...). */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: GraphQLErrorEntry[],
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

export async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: ExecuteOptions = {},
): Promise<ExecuteResult<TResult>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: document.toString(), variables }),
    signal: options.signal,
  });
  let body: { data?: TResult | null; errors?: GraphQLErrorEntry[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new GraphRequestError(`The graph answered HTTP ${response.status} without a GraphQL body`, response.status, []);
  }
  const errors = body.errors ?? [];
  if (body.data == null) {
    throw new GraphRequestError(errors[0]?.message ?? `The graph answered HTTP ${response.status} without data`, response.status, errors);
  }
  return { data: body.data, errors, status: response.status };
}

/**
 * Every page of a Relay connection: `select` picks the connection out of a result, and
 * `after` is set to its `endCursor` until `hasNextPage` is false (at most `maxPages`).
 * Partial errors of every page are collected.
 */
export async function executeAllPages<TResult, TVariables extends { after?: string | null }, TNode>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  select: (data: TResult) => { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: ReadonlyArray<TNode> } | null | undefined,
  options: ExecuteOptions & { maxPages?: number } = {},
): Promise<{ nodes: TNode[]; errors: GraphQLErrorEntry[]; pages: TResult[] }> {
  const nodes: TNode[] = [];
  const errors: GraphQLErrorEntry[] = [];
  const pages: TResult[] = [];
  let after: string | null | undefined = variables.after;
  for (let page = 0; page < (options.maxPages ?? 50); page++) {
    const result = await execute(url, document, { ...variables, after }, options);
    errors.push(...result.errors);
    if (!result.data) break;
    pages.push(result.data);
    const connection = select(result.data);
    if (!connection) break;
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return { nodes, errors, pages };
}
