/**
 * OpenTelemetry tracing, off unless configured. This module loads no OpenTelemetry code by itself: initTracing
 * requires the SDK only when tracing is on. It must run first in a process's main.ts, before http, pg and graphql
 * are loaded, so that their instrumentation is in place; that is why it imports nothing but the config registry.
 *
 * On: OTEL_TRACING=on, or OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set (OTEL_TRACING=off
 * wins). Spans go over OTLP/HTTP (JSON) to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces (default http://localhost:4318),
 * or with OTEL_TRACES_EXPORTER=console to stdout. Instrumented: incoming and outgoing HTTP (node:http, which the
 * gateway's subgraph fetcher uses, and fetch/undici, which a subgraph uses to call another), pg and graphql, plus
 * the spans @apollo/gateway makes itself (plan, fetch). W3C traceparent goes with every outgoing request, so one
 * request through the gateway is one trace across the processes.
 */
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { env } from '../config';
import { setLogTraceFields } from './request-scope';

let provider: NodeTracerProvider | undefined;

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

/** Whether the configuration asks for tracing (see the module comment). */
export function tracingRequested(): boolean {
  const flag = env('OTEL_TRACING')?.toLowerCase();
  if (flag && OFF.includes(flag)) return false;
  if (flag && ON.includes(flag)) return true;
  return env('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || env('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined;
}

export function tracingActive(): boolean {
  return provider !== undefined;
}

/** Paths that are polled (health checks, scrapes) and would only add noise. */
const UNTRACED_PATHS = /^\/(health|ready|metrics)(\?|$)/;

/**
 * Starts tracing for the process `service` when the configuration asks for it; returns whether it did. A setting
 * that is wrong here is reported by the configuration check that follows (tracing then stays off).
 */
export function initTracing(service: string): boolean {
  if (provider || !tracingRequested()) return false;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
    const sdk = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
    const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
    /* eslint-enable @typescript-eslint/no-require-imports */

    const exporterKind = env('OTEL_TRACES_EXPORTER', 'otlp');
    if (exporterKind === 'none') return false;
    let exporter: import('@opentelemetry/sdk-trace-node').SpanExporter;
    if (exporterKind === 'console') {
      exporter = new sdk.ConsoleSpanExporter();
    } else {
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      // Reads OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS, _TIMEOUT) itself.
      exporter = new OTLPTraceExporter();
    }
    const ratio = Number(env('OTEL_TRACES_SAMPLER_ARG', '1'));
    const byRatio = new sdk.TraceIdRatioBasedSampler(Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1);
    // Only a request starts a trace (a server span): parsing the schemas at start, timers and other work outside a
    // request would otherwise each make a trace of their own.
    const requestsOnly: import('@opentelemetry/sdk-trace-node').Sampler = {
      shouldSample: (context, traceId, _name, kind) =>
        kind === api.SpanKind.SERVER ? byRatio.shouldSample(context, traceId) : { decision: sdk.SamplingDecision.NOT_RECORD },
      toString: () => `RequestsOnly{${byRatio.toString()}}`,
    };
    const next = new sdk.NodeTracerProvider({
      resource: new Resource({ 'service.name': env('OTEL_SERVICE_NAME', service)!, 'service.namespace': 'integration-graph' }),
      // The gateway decides for a whole request; the subgraphs follow the caller's traceparent.
      sampler: new sdk.ParentBasedSampler({ root: requestsOnly }),
      spanProcessors: [exporterKind === 'console' ? new sdk.SimpleSpanProcessor(exporter) : new sdk.BatchSpanProcessor(exporter)],
    });
    // The W3C trace context propagator and an AsyncLocalStorage context manager.
    next.register();
    registerInstrumentations({
      tracerProvider: next,
      instrumentations: [
        new HttpInstrumentation({
          ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
          // Background work (health checks of the subgraphs, webhook deliveries) starts no trace of its own.
          requireParentforOutgoingSpans: true,
        }),
        new UndiciInstrumentation({ requireParentforSpans: true }),
        // The audit chainer and the other timers query without a request: no trace for them.
        new PgInstrumentation({ requireParentSpan: true }),
        new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      ],
    });
    provider = next;
    setLogTraceFields(() => {
      const context = api.trace.getActiveSpan()?.spanContext();
      return context && api.isSpanContextValid(context) ? { traceId: context.traceId, spanId: context.spanId } : undefined;
    });
    return true;
  } catch (error) {
    process.stderr.write(`tracing could not be started, it stays off: ${(error as Error).message}\n`);
    return false;
  }
}

/** Sends the spans still buffered and stops tracing; part of a process's stop (SIGTERM). */
export async function shutdownTracing(timeoutMs = 5_000): Promise<void> {
  const current = provider;
  if (!current) return;
  provider = undefined;
  setLogTraceFields(undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    current.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

/** Sends the spans still buffered (tests, and before a process exits without shutdown). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}
