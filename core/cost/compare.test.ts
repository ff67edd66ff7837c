// The cost model on hand-computed cases (every figure below was worked out by hand or with exact
// fractions outside this code): like-for-like labels, and compareOffers converting,
// excluding with reasons and joining on gpu_key. The shipped catalogue's rows: tests/catalogue.test.ts.
import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import {
  compareOffers,
  likeForLike,
  offerClass,
  parseSetting,
  ratioToLivepeer,
  usdPerMegapixel,
  type OfferRow,
  type ThroughputFigure,
} from "./index";

const SVD = "stabilityai/stable-video-diffusion-img2vid-xt-1-1";
const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

describe("like for like", () => {
  const target = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 7 };

  it("reads resolution, frames and fps from settings", () => {
    expect(parseSetting("25 frames 1024x576, fp16, 7 fps output")).toEqual({ width: 1024, height: 576, frames: 25, fps: 7 });
    expect(parseSetting("480p, 5 s, 40 steps, official code")).toEqual({ shortSide: 480 });
    expect(parseSetting("4K frames, torch.compile, 30 fps output")).toEqual({ shortSide: 2160, fps: 30 });
    expect(parseSetting("one warm runner per GPU (capacity 1)")).toEqual({});
    expect(parseSetting(null)).toEqual({});
  });

  it("labels the most important difference", () => {
    expect(likeForLike(target, { model: SVD, setting: "25 frames 1024x576, fp16, 7 fps output" })).toEqual({ likeForLike: true, label: "like for like", differences: [] });
    expect(likeForLike(target, { model: SVD.toUpperCase(), setting: "576x1024, 25 frames, 7 fps" }).likeForLike).toBe(true);
    expect(likeForLike({ ...target, fps: 6 }, { model: SVD, setting: "25 frames 1024x576, 7 fps output" })).toEqual({
      likeForLike: false,
      label: "different fps",
      differences: ["fps 7 vs 6"],
    });
    expect(likeForLike(target, { model: "Lightricks/LTX-Video", setting: "768x512, 24 fps, 5 s clip" })).toMatchObject({
      likeForLike: false,
      label: "different model",
      differences: [`model Lightricks/LTX-Video vs ${SVD}`, "resolution 768x512 vs 1024x576", "fps 24 vs 7"],
    });
    expect(likeForLike(target, { model: SVD, setting: "480p" }).label).toBe("different resolution");
    expect(likeForLike(target, { model: SVD, setting: "576p, 7 fps" }).label).toBe("like for like");
    expect(likeForLike(target, { model: SVD, setting: "14 frames 1024x576" }).label).toBe("different frames");
    expect(likeForLike(target, { model: SVD, setting: "fp16" })).toMatchObject({ likeForLike: false, label: "setting not stated" });
    expect(likeForLike(target, { model: null, setting: "1080p" })).toMatchObject({ likeForLike: false, label: "model not stated" });
    expect(likeForLike({ pipeline: "image-to-video", modelId: SVD }, { model: SVD, setting: "1024x576" }).label).toBe("setting not stated");
  });
});

describe("compareOffers", () => {
  const throughput: ThroughputFigure[] = [
    { pipeline: "image-to-video", model: SVD, setting: "25 frames 1024x576, 7 fps output", gpuKey: "A100", gpuSecondsPerOutputSecond: "6.2", source: "arxiv", quality: "estimate" },
    { pipeline: "live-video-to-video", model: "streamdiffusion", setting: "one runner per GPU", gpuKey: "*", gpuSecondsPerOutputSecond: "1.0", source: "docs", quality: "assumption" },
    { pipeline: "live-video-to-video", model: "streamdiffusion", setting: "1280x720 30 fps", gpuKey: "RTX4090", gpuSecondsPerOutputSecond: "0.5", source: "bench", quality: "paper" },
  ];
  const row = (o: Partial<OfferRow> & Pick<OfferRow, "provider" | "unit" | "usdPerUnit">): OfferRow => ({ offering: "x", source: "example.com", asOf: "2026-01-01", ...o });
  const prices: OfferRow[] = [
    row({ provider: "AWS", offering: "p4d.24xlarge", gpuKey: "A100", gpus: 8, unit: "instance_hour", usdPerUnit: "21.957642" }),
    row({ provider: "AWS", offering: "g4dn.xlarge", gpuKey: "T4", gpus: 1, unit: "instance_hour", usdPerUnit: "0.526" }),
    row({ provider: "AWS", offering: "p5.4xlarge", gpuKey: "H100", gpus: 1, unit: "instance_hour", usdPerUnit: "6.88" }),
    row({ provider: "Vast.ai", offering: "4090", gpuKey: "RTX4090", gpus: 1, unit: "instance_hour", usdPerUnit: "0.682" }),
    row({ provider: "Replicate", offering: "CPU", gpuKey: null, gpus: 0, unit: "instance_second", usdPerUnit: "0.0001" }),
    row({ provider: "Modal", offering: "A100", gpuKey: "A100", gpus: 1, unit: "gpu_hour", usdPerUnit: "2.4984" }),
    row({ provider: "fal.ai", offering: "LTX-2 Pro 1080p", unit: "video_second", usdPerUnit: "0.06", pipeline: "image-to-video", model: "LTX-2 Pro", setting: "1080p" }),
    row({ provider: "VoltageGPU", offering: "SVD XT 1.1 API", unit: "video_second", usdPerUnit: "0.15", pipeline: "image-to-video", model: SVD, setting: "1024x576, 25 frames, 6 fps" }),
    row({ provider: "fal.ai", offering: "Pika per video", unit: "video", usdPerUnit: "0.4", pipeline: "image-to-video" }),
    row({ provider: "fal.ai", offering: "RIFE", unit: "compute_second", usdPerUnit: "0.0013" }),
    row({ provider: "fal.ai", offering: "Crystal", unit: "megapixel_second_of_output", usdPerUnit: "0.10" }),
    row({ provider: "Runway", offering: "API credit", unit: "credit", usdPerUnit: "0.01" }),
    row({ provider: "Cloudflare Workers AI", offering: "whisper", unit: "audio_minute", usdPerUnit: "0.0005", pipeline: "audio-to-text" }),
    row({ provider: "fal.ai", offering: "FLUX dev", unit: "megapixel", usdPerUnit: "0.025", pipeline: "text-to-image", model: "black-forest-labs/FLUX.1-dev" }),
    row({ provider: "Some API", offering: "video, pipeline not stated", unit: "video_second", usdPerUnit: "0.1" }),
    row({ provider: "Livepeer", offering: "Recommended i2v", unit: "output_pixel", usdPerUnit: "1.3563368e-08", pipeline: "image-to-video" }),
    row({ provider: "Livepeer (Daydream/pipelines app)", offering: "tier", unit: "stream_hour", usdPerUnit: "0.50", pipeline: "live-video-to-video" }),
  ];
  const livepeer = { pipeline: "image-to-video", modelId: SVD, width: 1024, height: 576, frames: 25, fps: 6, usdPerVideoSecond: "0.047999999803392" };

  it("converts, excludes with reasons, and omits other pipelines' per-output prices", () => {
    const out = compareOffers({ livepeer, prices, throughput });
    const by = (offering: string) => out.filter((c) => c.offer.offering === offering);
    const [p4d] = by("p4d.24xlarge");
    expect(p4d).toMatchObject({ status: "compared", offerClass: "hyperscaler-on-demand", usd: "0.00945398475", utilisation: "0.5", ratioDisplay: 0.197, reason: null });
    expect(p4d.throughput).toMatchObject({ gpuSecondsPerOutputSecond: "6.2", source: "arxiv", quality: "estimate" });
    expect(p4d.comparability).toMatchObject({ label: "different fps", differences: ["fps 7 vs 6"] });
    expect(by("g4dn.xlarge")[0]).toMatchObject({ status: "excluded", usd: null, reason: "no GPU-seconds-per-output-second figure for T4 on image-to-video" });
    expect(by("CPU")[0]).toMatchObject({ status: "excluded", reason: "no GPU in this offer" });
    expect(by("A100")[0]).toMatchObject({ status: "compared", offerClass: "serverless-per-second", usd: "0.0043028", utilisation: null });
    expect(by("LTX-2 Pro 1080p")[0]).toMatchObject({ status: "compared", offerClass: "hosted-api", usd: "0.06", ratioToLivepeer: new D50("0.06").div("0.047999999803392").toFixed(), throughput: null });
    expect(by("LTX-2 Pro 1080p")[0].comparability!.label).toBe("different model");
    expect(by("SVD XT 1.1 API")[0].comparability).toEqual({ likeForLike: true, label: "like for like", differences: [] });
    expect(by("Pika per video")[0]).toMatchObject({ status: "excluded", reason: "priced per video and the row does not state the clip length" });
    expect(by("RIFE")[0].reason).toMatch(/compute on undisclosed hardware/);
    expect(by("Crystal")[0].reason).toMatch(/does not state the output resolution/);
    expect(by("API credit")[0].reason).toMatch(/a currency/);
    expect(by("video, pipeline not stated")[0].reason).toBe("the row does not state which pipeline its price is for");
    expect(by("whisper")).toEqual([]); // another pipeline's price
    expect(by("FLUX dev")).toEqual([]);
    expect(by("tier")).toEqual([]);
    // Livepeer's recommended 1.3563368e-08 USD/pixel x 1024 x 576 x 25 / (25/6 s) = 0.047999999803392 USD/s
    expect(by("Recommended i2v")[0]).toMatchObject({ status: "reference", offerClass: "livepeer-reference", usd: "0.047999999803392", ratioToLivepeer: "1" });
    for (const c of out) {
      if (c.status === "excluded") expect(c.reason).toBeTruthy();
      else expect(c.usd).toBeTruthy();
    }
  });

  it("joins on gpu_key: a GPU's own figures first, else the '*' (any GPU) figures", () => {
    const live = { pipeline: "live-video-to-video", modelId: "streamdiffusion", width: 1280, height: 720, fps: 30, usdPerVideoSecond: "0.0002" };
    const out = compareOffers({ livepeer: live, prices, throughput });
    const p5 = out.find((c) => c.offer.offering === "p5.4xlarge")!;
    expect(p5.throughput!.gpuKey).toBe("*");
    expect(p5.usd).toBe(new D50("6.88").div(1800).toFixed()); // 6.88 / 3600 x 1.0 / 0.5
    expect(p5.comparability!.label).toBe("setting not stated");
    const vast = out.filter((c) => c.offer.offering === "4090");
    expect(vast).toHaveLength(1);
    expect(vast[0].throughput!.gpuKey).toBe("RTX4090"); // own figure beats '*'
    expect(vast[0].usd).toBe(new D50("0.682").times("0.5").div(1800).toFixed());
    expect(vast[0].comparability!.likeForLike).toBe(true);
    const tier = out.find((c) => c.offer.offering === "tier")!;
    expect(tier).toMatchObject({ status: "reference", usd: new D50("0.5").div(3600).toFixed() });
  });

  it("compares image pipelines per megapixel and per image", () => {
    const out = compareOffers({ livepeer: { pipeline: "text-to-image", modelId: "black-forest-labs/FLUX.1-dev", usdPerMegapixel: "0.02" }, prices, throughput });
    // per-output rows for text-to-image, plus rows that state no pipeline (excluded, visibly)
    expect(out.map((c) => [c.offer.offering, c.status])).toEqual([
      ["RIFE", "excluded"],
      ["Crystal", "excluded"],
      ["API credit", "excluded"],
      ["FLUX dev", "compared"],
      ["video, pipeline not stated", "excluded"],
    ]);
    const flux = out.find((c) => c.offer.offering === "FLUX dev")!;
    expect(flux).toMatchObject({ status: "compared", metric: "usd_per_megapixel", usd: "0.025", ratioToLivepeer: "1.25" });
    expect(out.some((c) => c.offer.unit === "instance_hour")).toBe(false); // no image throughput figures
  });
});
