// Like for like: whether an offer's figure was measured on the same model, resolution, frames and
// fps as Livepeer's, read from the catalogue's free-text settings, and the label naming the most
// important difference. Pure.
import { D } from "../units";
import { given } from "./job";

/** Resolution, frames and fps read from free text such as "25 frames 1024x576, fp16, 7 fps output". */
export interface SettingFacts {
  width?: number;
  height?: number;
  /** "720p" / "4K": the short side. */
  shortSide?: number;
  frames?: number;
  fps?: number;
}

export function parseSetting(text: string | null | undefined): SettingFacts {
  const facts: SettingFacts = {};
  if (!text) return facts;
  const wh = /(\d{2,5})\s*[x×]\s*(\d{2,5})/i.exec(text);
  if (wh) {
    facts.width = Number(wh[1]);
    facts.height = Number(wh[2]);
  }
  const p = /\b(\d{3,4})p\b/i.exec(text);
  if (p) facts.shortSide = Number(p[1]);
  else if (/\b4k\b/i.test(text)) facts.shortSide = 2160;
  else if (/\b2k\b/i.test(text)) facts.shortSide = 1440;
  const frames = /\b(\d{1,5})\s*frames?\b/i.exec(text);
  if (frames) facts.frames = Number(frames[1]);
  const fps = /\b(\d{1,3}(?:\.\d+)?)\s*fps\b/i.exec(text);
  if (fps) facts.fps = Number(fps[1]);
  return facts;
}

/** What Livepeer's figure was measured on: the pipeline and, for like-for-like checks, its model and setting. */
export interface LivepeerTarget {
  pipeline: string;
  modelId?: string | null;
  width?: number | null;
  height?: number | null;
  frames?: number | null;
  fps?: number | string | null;
  /** Livepeer's figures, from costPerVideoSecond / imageCost. */
  usdPerVideoSecond?: string | null;
  usdPerMegapixel?: string | null;
  usdPerImage?: string | null;
}

export interface Comparability {
  likeForLike: boolean;
  /** "like for like", "different model", "different resolution", "different frames", "different fps", "model not stated", "setting not stated". */
  label: string;
  differences: string[];
}

const normModel = (m: string) => m.trim().toLowerCase();

/**
 * Like for like means the same model id (case-insensitive) and the same resolution, with frames
 * and fps equal wherever both sides state them. The label names the most important difference:
 * model, then resolution, then frames, then fps; "not stated" when a side does not say.
 */
export function likeForLike(target: LivepeerTarget, offer: { model?: string | null; setting?: string | null }): Comparability {
  const differences: string[] = [];
  const labels: string[] = [];
  if (!given(offer.model) || !given(target.modelId)) {
    differences.push(!given(offer.model) ? "offer model not stated" : "Livepeer model not given");
    labels.push("model not stated");
  } else if (normModel(offer.model) !== normModel(target.modelId)) {
    differences.push(`model ${offer.model} vs ${target.modelId}`);
    labels.push("different model");
  }
  const s = parseSetting(offer.setting);
  const tw = given(target.width) ? Number(target.width) : null;
  const th = given(target.height) ? Number(target.height) : null;
  if (tw === null || th === null) {
    differences.push("Livepeer resolution not given");
    labels.push("setting not stated");
  } else if (s.width !== undefined && s.height !== undefined) {
    const same = (s.width === tw && s.height === th) || (s.width === th && s.height === tw);
    if (!same) {
      differences.push(`resolution ${s.width}x${s.height} vs ${tw}x${th}`);
      labels.push("different resolution");
    }
  } else if (s.shortSide !== undefined) {
    if (s.shortSide !== Math.min(tw, th)) {
      differences.push(`resolution ${s.shortSide}p vs ${tw}x${th}`);
      labels.push("different resolution");
    }
  } else {
    differences.push("offer resolution not stated");
    labels.push("setting not stated");
  }
  if (s.frames !== undefined && given(target.frames) && s.frames !== Number(target.frames)) {
    differences.push(`frames ${s.frames} vs ${target.frames}`);
    labels.push("different frames");
  }
  if (s.fps !== undefined && given(target.fps) && !new D(s.fps).eq(new D(target.fps))) {
    differences.push(`fps ${s.fps} vs ${target.fps}`);
    labels.push("different fps");
  }
  const order = ["different model", "model not stated", "different resolution", "different frames", "different fps", "setting not stated"];
  const label = labels.length ? order.find((l) => labels.includes(l))! : "like for like";
  return { likeForLike: labels.length === 0, label, differences };
}
