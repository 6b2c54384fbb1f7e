/**
 * GraphiQL 5, served at /graphiql from the gateway's own assets (bundled by ../build.ts):
 * React, GraphiQL, its style sheet and the Monaco editor workers all come from this
 * origin, so the explorer works with no internet (Apollo Sandbox at GET /graphql loads
 * from Apollo's CDN). Queries go to /graphql on this origin; an API key the dashboard
 * keeps for this tab (sessionStorage) is sent as Bearer unless the headers editor sets
 * Authorization itself.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import 'graphiql/style.css';
import './graphiql-page.css';

/** Monaco asks for a worker per language; each is a bundle of its own next to this one. */
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const name = label === 'json' ? 'json.worker' : label === 'graphql' ? 'graphql.worker' : 'editor.worker';
    return new Worker(new URL(`/graphiql/assets/${name}.js`, window.location.origin));
  },
};

const container = document.getElementById('graphiql') as HTMLElement;
const url = new URL(container.dataset.graphql ?? '/graphql', window.location.origin).toString();

const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const key = sessionStorage.getItem('channelgraph.apiKey');
  if (key && !headers.authorization && !headers['x-api-key']) headers.authorization = `Bearer ${key}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(params) });
  return response.json();
};

const DEFAULT_QUERY = `# GraphiQL, served by the gateway itself (works offline).
# Run: Ctrl-Enter. Docs: the book icon on the left.
{
  vendors {
    vendor
    name
    simulated
  }
  customers(first: 5) {
    totalCount
    nodes {
      name
      vendor
    }
  }
}
`;

container.dataset.state = 'ready';
createRoot(container).render(createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY, defaultEditorToolsVisibility: false }));
