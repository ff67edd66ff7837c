// The JSON shape of an impact report (decision 010): its figures and provenance as computed and as
// stored (money as decimal strings). A saved report is read back in the shape it was saved in, so a
// page must render every REPORT_FORMAT ever stored. Types and constants only: no I/O.
import type { FeeRow, FeeTotals, GatewayFees, Growth } from "../../db/queries/fees";
import type { ReportRanges, StoredReport } from "../../db/queries/reports";
import type { Interval } from "./dates";
import type { JobStats } from "./jobs.server";
import type { PipelineRow } from "./pipelines.server";

export type { ReportRanges };

/** Version of the figures' JSON shape. A page must render every version ever stored. */
export const REPORT_FORMAT = 1;
/** Rows in the top orchestrators and gateways tables. */
export const REPORT_TOP = 10;
/** Daily job charts are drawn for a chart span of at most this many days. */
export const JOB_SERIES_MAX_DAYS = 400;

// ---------------------------------------------------------------------------------------------
// Shapes

export interface Window {
  from: string;
  to: string;
  days: number;
}

export interface TopOrchestrator extends JobStats {
  address: string;
  serviceUri: string | null;
  tickets: number;
  volumeEth: string;
  volumeUsd: string;
  /** Share of the period's realized fees in %, 2 decimals (as /api/fees/orchestrators). */
  sharePct: number | null;
}

export interface ReportFigures {
  format: number;
  period: Window;
  baseline: Window;
  fees: {
    period: FeeTotals;
    baseline: FeeTotals;
    /** Exactly /api/fees/growth for the same four days. */
    growth: Growth;
    /** Subsidised and organic shares of the period's realized ETH, %, 2 decimals; null without fees. */
    subsidizedSharePct: string | null;
    organicSharePct: string | null;
    /** Fees per period (day, ISO week or month) from the earlier window's start to the later one's end. */
    chart: { from: string; to: string; interval: Interval; rows: FeeRow[] };
  };
  jobs: {
    period: JobStats;
    baseline: JobStats;
    /** Output seconds of the video pipelines (image-to-video, live video) in the period, exact decimal. */
    videoSeconds: string;
    baselineVideoSeconds: string;
    /** Exactly /api/pipelines rows for the period. */
    pipelines: PipelineRow[];
    /**
     * Jobs per day over the chart span; null when the span is longer than JOB_SERIES_MAX_DAYS.
     * Its latency percentiles mix pipelines in reports saved before latencySeries existed.
     */
    series: ({ period: string } & JobStats)[] | null;
    /**
     * Latency per day of the period's busiest pipeline and model only (percentiles never mix
     * pipelines); absent in reports saved before it, null without a series or a busiest pair.
     */
    latencySeries?: { pipeline: string; modelId: string; points: ({ period: string } & JobStats)[] } | null;
  };
  orchestrators: {
    /** Orchestrators that earned fees in the period, and that ran logged jobs. */
    earning: number;
    withJobs: number;
    /** Top by realized fees, with their job figures. */
    topByFees: TopOrchestrator[];
    /** Top by logged jobs, with their realized fees. */
    topByJobs: TopOrchestrator[];
  };
  gateways: {
    paying: number;
    top: GatewayFees[];
  };
  /** Livepeer cost per video second against the cloud classes; null when it could not be computed. */
  cost: CloudClassSummary | null;
  /** Why `cost` is null. */
  costUnavailable: string | null;
}

export interface SourceNote {
  name: string;
  detail: string;
}

export interface ReportProvenance {
  computedAt: string;
  subgraph: {
    block: number | null;
    blockTimestamp: string | null;
    latestDay: string;
    deployment: string | null;
    demo: boolean;
  };
  logs: {
    /** End of the latest hour with a logged job (logs are complete up to here at most). */
    upTo: string | null;
    firstDay: string | null;
    lastDay: string | null;
    sources: { name: string; lastSuccessAt: string | null }[];
  };
  catalogue: {
    loadedAt: string;
    pricesFile: string;
    pricesSha256: string;
    throughputFile: string;
    throughputSha256: string;
    priceRows: number;
    throughputRows: number;
    newestAsOf: string | null;
    oldestAsOf: string | null;
  } | null;
  /** Gateways tagged subsidised when the report was computed (they decide the split). */
  subsidized: { address: string; label: string | null; from: string; to: string | null }[];
  sources: SourceNote[];
  method: string[];
  caveats: string[];
}

export interface Report {
  input: ReportRanges;
  figures: ReportFigures;
  provenance: ReportProvenance;
}

export type SavedReport = StoredReport<ReportFigures, ReportProvenance>;

// ---------------------------------------------------------------------------------------------
// Cost: Livepeer cost per video second against the cloud classes (decision 006), from the cost
// module's cloudClassSummary. The report stores its answer as it is.

export interface CloudClassSummary {
  /** Utilisation assumed for rented GPUs (decision 006). */
  utilization: string;
  rows: {
    pipeline: string;
    modelId: string;
    jobs: number;
    outputSeconds: string;
    livepeerUsdPerVideoSecond: string | null;
    livepeerEthPerVideoSecond: string | null;
    classes: {
      class: string;
      label: string;
      /** Compared offers in the class. */
      offers: number;
      cheapest: {
        provider: string;
        offering: string;
        usdPerVideoSecond: string;
        ratioToLivepeer: string | null;
        source: string;
        asOf: string;
        /** "like for like" or the main difference ("different fps", ...). */
        comparability: string | null;
      } | null;
    }[];
  }[];
  catalogue: { loadedAt: string | null; oldestAsOf: string | null; newestAsOf: string | null } | null;
}
