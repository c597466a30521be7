import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseRows } from './copy-format';
import { GeneratedDistrict, generateDistrict, generateTaxonomyRows, SeedDistrict } from './generate';
import { ReferralTarget } from './people';
import { readOrtenaukreisPlaces } from './places';
import { Service, SERVICES } from './tables';
import { berlinInstant, dayNumber, dayString } from './time';
import { GeneratorContext } from './world';

export const CASES_PER_DISTRICT = 5_000;
export const MAX_SCALE = 99;

/** What determines the data: the same options give byte-identical rows. */
export interface GeneratorOptions {
  seed: number;
  scale: number;
  asOf: string;
  sharedDataDir?: string;
}

export function generatorContext(options: GeneratorOptions): GeneratorContext {
  const { scale, seed, asOf } = options;
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE || (scale > 1 && !Number.isInteger(scale))) {
    throw new Error(`--scale must be a number in (0, 1] or an integer up to ${MAX_SCALE}, got ${scale}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || dayString(dayNumber(asOf)) !== asOf) throw new Error(`--as-of must be a day YYYY-MM-DD, got ${asOf}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer from 0 to 4294967295, got ${seed}`);
  const asOfDay = dayNumber(asOf);
  return {
    seed,
    scale,
    districtCount: Math.max(1, Math.floor(scale)),
    casesPerDistrict: Math.max(1, Math.round(CASES_PER_DISTRICT * Math.min(1, scale))),
    asOfDay,
    asOfMs: berlinInstant(asOfDay, 0),
    ortenaukreis: readOrtenaukreisPlaces(options.sharedDataDir),
  };
}

/** One table's rows of one district, as COPY text in chunks of a few megabytes. */
export interface TableBatch {
  table: string;
  columns: readonly string[];
  count: number;
  chunks: string[];
}

/** Everything of one district, ready to load (plain data: it crosses from the worker thread by structured clone). */
export interface DistrictBatch {
  index: number;
  tables: Record<Service, TableBatch[]>;
  summary: SeedDistrict;
  caseload: Map<string, number>;
  openCases: Map<string, string[]>;
  referralTargets: Map<string, Map<string, ReferralTarget>>;
}

function tableBatches(rows: DatabaseRows): TableBatch[] {
  return rows.all().map((t) => ({ table: t.table, columns: t.columns, count: t.count, chunks: t.chunks() }));
}

export function toBatch(index: number, district: GeneratedDistrict, taxonomy?: DatabaseRows): DistrictBatch {
  const tables = Object.fromEntries(SERVICES.map((service) => [service, tableBatches(district.rows[service])])) as Record<Service, TableBatch[]>;
  if (taxonomy) tables.partners.unshift(...tableBatches(taxonomy));
  return { index, tables, summary: district.summary, caseload: district.caseload, openCases: district.openCases, referralTargets: district.referralTargets };
}

function workerScript(): string | null {
  for (const candidate of [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '..', '..', 'dist', 'seed', 'worker.js')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * The districts in order, generated ahead in a worker thread (one district ahead of the one being loaded), or in the
 * main thread when the compiled worker is not there (tests that run the TypeScript sources before a build).
 */
export class DistrictSource {
  private worker: Worker | null = null;
  private readonly waiting: { resolve: (batch: DistrictBatch) => void; reject: (error: Error) => void }[] = [];
  private readonly requested = new Map<number, Promise<DistrictBatch>>();
  private readonly ctx: GeneratorContext;

  constructor(options: GeneratorOptions, useWorker = true) {
    this.ctx = generatorContext(options);
    const script = useWorker ? workerScript() : null;
    if (script) {
      this.worker = new Worker(script, { workerData: options });
      this.worker.on('message', (message: { batch?: DistrictBatch; error?: string }) => {
        const next = this.waiting.shift();
        if (!next) return;
        if (message.batch) next.resolve(message.batch);
        else next.reject(new Error(`generating a district failed: ${message.error}`));
      });
      this.worker.on('error', (error) => {
        for (const next of this.waiting.splice(0)) next.reject(error);
      });
    }
  }

  get context(): GeneratorContext {
    return this.ctx;
  }

  get threaded(): boolean {
    return this.worker !== null;
  }

  /** Asks for a district (idempotent); with a worker the generation starts now and runs beside the caller. */
  request(index: number): Promise<DistrictBatch> {
    let pending = this.requested.get(index);
    if (!pending) {
      if (this.worker) {
        pending = new Promise<DistrictBatch>((resolve, reject) => this.waiting.push({ resolve, reject }));
        this.worker.postMessage(index);
      } else {
        pending = new Promise<DistrictBatch>((resolve, reject) => {
          setImmediate(() => {
            try {
              let taxonomy: DatabaseRows | undefined;
              const district = generateDistrict(this.ctx, index, (rows) => {
                if (index === 0) taxonomy = generateTaxonomyRows(rows.partners);
              });
              resolve(toBatch(index, district, taxonomy));
            } catch (error) {
              reject(error as Error);
            }
          });
        });
      }
      // A failure is reported by take(); do not let an unawaited request crash the process meanwhile.
      pending.catch(() => undefined);
      this.requested.set(index, pending);
    }
    return pending;
  }

  /** The district, and the next one requested ahead. */
  async take(index: number): Promise<DistrictBatch> {
    const batch = await this.request(index);
    this.requested.delete(index);
    if (index + 1 < this.ctx.districtCount) this.request(index + 1);
    return batch;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
