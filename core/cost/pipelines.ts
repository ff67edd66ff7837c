// Pipelines the cost model knows (docs/data-contract.md section 5, what a job costs; go-livepeer
// server/ai_process.go): each one's billable unit, what it produces that the product prices, and the
// slug rule. Pure.
export type BillableUnit = "pixel" | "ms" | "token" | "character";
/** What a pipeline produces that the product prices: seconds of video, images, or neither. */
export type PipelineOutput = "video-seconds" | "images" | "none";

export interface PipelineCostSpec {
  readonly pipeline: string;
  /** Unit of billable_units (the job log's `unit`). */
  readonly billableUnit: BillableUnit;
  /** What billable_units multiplies, in words. */
  readonly billableUnits: string;
  readonly output: PipelineOutput;
  /** How output seconds are derived (video pipelines), in words. */
  readonly outputSeconds: string | null;
}

/** go-livepeer bills every image-to-video job 25 frames (hard-coded for SVD-XT), whatever it outputs. */
export const IMAGE_TO_VIDEO_BILLED_FRAMES = 25n;
/** Live video is billed as 1280 x 720 x 30 pixels per second of stream, whatever its real resolution. */
export const LIVE_VIDEO_BILLED_PIXELS_PER_SECOND = 1280n * 720n * 30n; // 27,648,000

export const PIPELINES: Readonly<Record<string, PipelineCostSpec>> = Object.freeze({
  "text-to-image": {
    pipeline: "text-to-image",
    billableUnit: "pixel",
    billableUnits: "output height x width x num_images",
    output: "images",
    outputSeconds: null,
  },
  "image-to-image": {
    pipeline: "image-to-image",
    billableUnit: "pixel",
    billableUnits: "input height x width x num_images (num_images absent = 1)",
    output: "images",
    outputSeconds: null,
  },
  upscale: {
    pipeline: "upscale",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "images",
    outputSeconds: null,
  },
  "segment-anything-2": {
    pipeline: "segment-anything-2",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "none",
    outputSeconds: null,
  },
  "image-to-text": {
    pipeline: "image-to-text",
    billableUnit: "pixel",
    billableUnits: "input height x width",
    output: "none",
    outputSeconds: null,
  },
  "image-to-video": {
    pipeline: "image-to-video",
    billableUnit: "pixel",
    billableUnits: "output height x width x 25 (frames hard-coded for SVD-XT)",
    output: "video-seconds",
    outputSeconds: "output_seconds, else frames / fps",
  },
  "audio-to-text": {
    pipeline: "audio-to-text",
    billableUnit: "ms",
    billableUnits: "milliseconds of input audio",
    output: "none",
    outputSeconds: null,
  },
  llm: {
    pipeline: "llm",
    billableUnit: "token",
    billableUnits: "requested max_tokens",
    output: "none",
    outputSeconds: null,
  },
  "text-to-speech": {
    pipeline: "text-to-speech",
    billableUnit: "character",
    billableUnits: "characters of input text",
    output: "none",
    outputSeconds: null,
  },
  "live-video-to-video": {
    pipeline: "live-video-to-video",
    billableUnit: "pixel",
    billableUnits: "1280 x 720 x 30 per second of stream, whatever the real resolution",
    output: "video-seconds",
    outputSeconds: "output_seconds (stream seconds)",
  },
});

/**
 * "Image to video" -> "image-to-video": trim, lower-case, runs of spaces/underscores -> "-".
 * The same rule as the job log validator, so a slug normalised twice never changes.
 */
export function normalisePipeline(raw: string): string {
  if (Object.prototype.hasOwnProperty.call(PIPELINES, raw)) return raw; // already a known slug: the per-job case
  return raw.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

export function pipelineSpec(pipeline: string): PipelineCostSpec | null {
  return PIPELINES[normalisePipeline(pipeline)] ?? null;
}
