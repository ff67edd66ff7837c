// The one cost model: what a Livepeer AI job costs, cost per second of video (or per image and
// megapixel), ETH -> USD at the job's UTC day, and the sourced comparison with cloud GPU offers.
// Pure (decimal.js only; no database, no app/, db/ or indexer/ imports), so the indexer, the
// database queries, the pages and the tests share one definition. Method, rounding and exclusions:
// docs/decisions/006-cost-model.md. Import it from here ("core/cost"); the files hold its sections:
//
//   ../units.ts        exact rationals, exact decimals, 50-digit printing, wei -> ETH (shared beyond cost)
//   pipelines.ts       pipelines, their billable units and outputs, slug normalisation
//   job.ts             one job: billable units, fee in wei, output seconds, images, billed pixels
//   usd-rates.ts       UTC days and USD per ETH from the subgraph's Day volumes (nearest-day fallback)
//   volume.ts          volume-weighted cost per video second, per image and per megapixel
//   aggregate.ts       aggregateJobs: per (pipeline, model, UTC day) sums, the rollups' reference
//   offers.ts          cloud offer classes, price units, utilisation, USD per video second by class
//   like-for-like.ts   reading settings, like-for-like labels
//   compare.ts         compareOffers: every catalogue offer against Livepeer's figure
//   gpu-names.ts       GPU names as the network reports them to the catalogue's gpu_key, variants
//   by-gpu.ts          compareByGpu: per GPU model, rentals per hour against live video's price per hour
//
// Exactness: fees are BigInt wei; output seconds and billable units are exact rationals (BigInt
// numerator/denominator); ETH figures are one exact rational division, printed to 50 significant
// digits (exact whenever the decimal terminates within 50 digits). USD and offer figures use
// decimal.js at 80 significant digits internally and are printed to 50. No JS `number` ever holds
// money; numbers appear only as `display` fields rounded for display.
export {
  SIGNIFICANT_DIGITS,
  type Ratio,
  ratio,
  exactDecimal,
  ratioToDecimal,
  weiToEth,
} from "../units";
export {
  type BillableUnit,
  type PipelineOutput,
  type PipelineCostSpec,
  IMAGE_TO_VIDEO_BILLED_FRAMES,
  LIVE_VIDEO_BILLED_PIXELS_PER_SECOND,
  PIPELINES,
  normalisePipeline,
  pipelineSpec,
} from "./pipelines";
export {
  type CostJob,
  billableUnits,
  jobFeeWeiExact,
  jobFeeWei,
  outputSecondsExact,
  outputSeconds,
  outputImages,
  billedPixelsExact,
} from "./job";
export {
  type DayKey,
  dayNumber,
  dayNumberOfMs,
  isoDate,
  type DayRate,
  type UsdRate,
  RateIndex,
  indexRates,
  usdPerEth,
} from "./usd-rates";
export {
  type VideoBucket,
  type FeeUsd,
  type VideoCost,
  feesToUsd,
  costPerVideoSecond,
  type ImageBucket,
  type ImageCost,
  imageCost,
  usdPerImage,
  usdPerMegapixel,
} from "./volume";
export {
  type JobCostGroup,
  aggregateJobs,
} from "./aggregate";
export {
  type OfferClass,
  OFFER_CLASSES,
  GPU_TIME_UNITS,
  OUTPUT_UNITS,
  KNOWN_UNITS,
  PROVIDER_KINDS,
  normaliseProvider,
  offerClass,
  DEFAULT_UTILISATION,
  parseUtilisation,
  usdPerGpuSecond,
  rentedUsdPerVideoSecond,
  serverlessUsdPerVideoSecond,
  ratioToLivepeer,
} from "./offers";
export {
  type SettingFacts,
  parseSetting,
  type LivepeerTarget,
  type Comparability,
  likeForLike,
} from "./like-for-like";
export {
  type OfferRow,
  type ThroughputFigure,
  type ComparisonMetric,
  type OfferComparison,
  type CompareInput,
  compareOffers,
} from "./compare";
export {
  type GpuIdentity,
  type FormFactor,
  gpuIdentity,
  gpuKeyOf,
  gpuVariant,
  normaliseGpuKey,
  sameGpuKey,
  memoryGbOfBytes,
  variantDifferences,
} from "./gpu-names";
export {
  type GpuSlot,
  type LiveModel,
  type OrchestratorPayments,
  type ByGpuInput,
  type ByGpuResult,
  type GpuComparison,
  type Rental,
  type PriceStats,
  LIVE_PIXELS_PER_HOUR,
  NO_DATED_PRICE,
  compareByGpu,
  exactStats,
  ethPerVideoHour,
  usdPerVideoHour,
  usdPerGpuHour,
} from "./by-gpu";
