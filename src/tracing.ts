/**
 * Optional OpenTelemetry tracing: one span per GraphQL operation (server.ts' observability
 * plugin) and a child span per upstream HTTP attempt (http/observe.ts), exported over
 * OTLP/HTTP (JSON) in batches. Off unless an endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` for the full
 * traces URL); the exporter's own `OTEL_EXPORTER_OTLP_HEADERS` and `_TIMEOUT` apply as
 * the SDK documents them. Spans are sent every 5 s and when the server closes.
 *
 * The provider is the server's own, not registered globally: spans are parented through
 * the request scope (http/deadline.ts), so no global context manager is needed and two
 * servers in one process do not share a pipeline.
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export interface TracingOptions {
  /** The OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces. */
  url: string;
  /** `service.name` of the spans (default `channelgraph`). */
  serviceName?: string;
}

export interface Tracing {
  tracer: Tracer;
  /** Exports what is pending and stops (server close). */
  close(): Promise<void>;
}

/**
 * The traces URL of the configuration: `tracesEndpoint` as it is, else `endpoint` +
 * `/v1/traces` (the OTLP exporter convention); undefined when neither is set (tracing off).
 */
export function tracesUrl(endpoint: string | undefined, tracesEndpoint: string | undefined): string | undefined {
  if (tracesEndpoint) return tracesEndpoint;
  if (!endpoint) return undefined;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export function createTracing(options: TracingOptions): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'channelgraph' }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.url }) })],
  });
  return {
    tracer: provider.getTracer('channelgraph'),
    close: () => provider.shutdown(),
  };
}
