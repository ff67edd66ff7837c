// An orchestrator's advertised state (OrchNetworkCapabilities, docs/gateway-events.md section 2),
// from a gateway's /getNetworkCapabilities or a `network_capabilities` event, into one normalised
// shape: its GPUs and, per pipeline and model, the exact price, warm state and capacity. The shape
// is canonical (sorted, no incidental fields) so two polls of an unchanged orchestrator hash alike.
// Free memory is left out on purpose: it moves on every poll and is not something it advertises.
import { createHash } from "node:crypto";
import { address, fail, int, isObj, obj, optAddress, optStr, str, type Obj } from "./fields";
import { normaliseUrl } from "./identity";

/** Capability ids of AI pipelines (go-livepeer core/capabilities.go) and their slugs. */
export const AI_CAPABILITIES: Record<number, string> = {
  27: "text-to-image",
  28: "image-to-image",
  29: "image-to-video",
  30: "upscale",
  31: "audio-to-text",
  32: "segment-anything-2",
  33: "llm",
  34: "image-to-text",
  35: "live-video-to-video",
  36: "text-to-speech",
  37: "byoc",
};
export const LIVE_VIDEO_CAPABILITY = 35;

/** A pipeline name as a slug: "Live video to video" -> live-video-to-video. */
export function pipelineSlug(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

export interface GpuState {
  gpuId: string;
  name: string;
  /** Bytes. */
  memoryTotal: number | null;
  pipeline: string;
  modelId: string;
}

export interface ModelState {
  pipeline: string;
  modelId: string;
  capability: number | null;
  /** Integer wei per pixelsPerUnit units, as decimal strings; null when the model has no price. */
  pricePerUnit: string | null;
  pixelsPerUnit: string | null;
  warm: boolean | null;
  capacity: number | null;
  capacityInUse: number | null;
  runnerVersion: string | null;
}

export interface OrchState {
  /** Canonical on-chain address, lowercase. */
  address: string;
  /** Hot wallet, lowercase; null when absent. */
  localAddress: string | null;
  /** Service URL, normalised (core/gateway/identity.ts). */
  orchUri: string | null;
  version: string | null;
  gpus: GpuState[];
  models: ModelState[];
}

const MAX_ORCHESTRATORS = 10_000;

/** Every orchestrator of an answer's `orchestrators` array (or an event's data). Throws EventFieldError. */
export function parseOrchestrators(list: unknown[], where: string): OrchState[] {
  if (list.length > MAX_ORCHESTRATORS) fail(`${where} lists more than ${MAX_ORCHESTRATORS} orchestrators`);
  return mergeNodes(list.map((o, i) => parseOrchestrator(o, `${where}[${i}]`)));
}

/**
 * One state per node (address and service URL). A gateway can list a node twice (the real capture
 * does: 0x733d...aab at https://legio.click:8936); the copies are merged: GPUs and models united,
 * the first copy's values kept where both say something.
 */
function mergeNodes(states: OrchState[]): OrchState[] {
  const byNode = new Map<string, OrchState>();
  for (const s of states) {
    const key = `${s.address} ${s.orchUri ?? ""}`;
    const first = byNode.get(key);
    if (!first) {
      byNode.set(key, s);
      continue;
    }
    const gpuKey = (g: GpuState) => `${g.gpuId}\u0000${g.pipeline}\u0000${g.modelId}`;
    const modelKey = (m: ModelState) => `${m.pipeline}\u0000${m.modelId}`;
    const gpus = new Map([...s.gpus, ...first.gpus].map((g) => [gpuKey(g), g]));
    const models = new Map([...s.models, ...first.models].map((m) => [modelKey(m), m]));
    byNode.set(key, {
      ...first,
      localAddress: first.localAddress ?? s.localAddress,
      version: first.version ?? s.version,
      gpus: [...gpus.values()].sort(byGpu),
      models: [...models.values()].sort(byModel),
    });
  }
  return [...byNode.values()];
}

/** The whole /getNetworkCapabilities answer. Throws EventFieldError. */
export function parseNetworkCapabilities(body: unknown): OrchState[] {
  const b = obj(body, "answer");
  if (!Array.isArray(b.orchestrators)) fail("answer.orchestrators must be an array");
  return parseOrchestrators(b.orchestrators as unknown[], "orchestrators");
}

function parseOrchestrator(v: unknown, where: string): OrchState {
  const o = obj(v, where);
  const caps = o.capabilities === undefined || o.capabilities === null ? {} : obj(o.capabilities, `${where}.capabilities`);
  const uri = optStr(o, "orch_uri", where, 1024);
  const models = new Map<string, ModelState>();
  const model = (capability: number | null, pipeline: string, modelId: string): ModelState => {
    const key = `${pipeline}\u0000${modelId}`;
    let m = models.get(key);
    if (!m) {
      m = { pipeline, modelId, capability, pricePerUnit: null, pixelsPerUnit: null, warm: null, capacity: null, capacityInUse: null, runnerVersion: null };
      models.set(key, m);
    }
    return m;
  };
  // Models by capability, with warm state and capacity.
  const constraints = isObj(caps.constraints) ? caps.constraints : {};
  const per = isObj(constraints.PerCapability) ? constraints.PerCapability : {};
  for (const [capId, c] of Object.entries(per)) {
    const cap = capabilityId(capId, `${where}.capabilities.constraints.PerCapability`);
    const ms = isObj(c) && isObj(c.models) ? c.models : {};
    for (const [modelId, mv] of Object.entries(ms)) {
      const mo: Obj = isObj(mv) ? mv : {};
      const at = `${where}.capabilities.constraints.PerCapability.${cap}.models`;
      const m = model(cap, pipelineOf(cap), boundedKey(modelId, at));
      m.warm = typeof mo.warm === "boolean" ? mo.warm : null;
      m.capacity = int(mo, "capacity", at, { optional: true, min: 0, max: 2_147_483_647 });
      m.capacityInUse = int(mo, "capacityInUse", at, { optional: true, min: 0, max: 2_147_483_647 });
      m.runnerVersion = optStr(mo, "runnerVersion", at, 64);
    }
  }
  // Exact prices: pricePerUnit / pixelsPerUnit wei per unit, per capability and model.
  const prices = o.capabilities_prices;
  if (prices !== undefined && prices !== null) {
    if (!Array.isArray(prices)) fail(`${where}.capabilities_prices must be an array or null`);
    (prices as unknown[]).forEach((p, i) => {
      const at = `${where}.capabilities_prices[${i}]`;
      const po = obj(p, at);
      const cap = int(po, "capability", at, { min: -2, max: 10_000 })!;
      const modelId = str(po, "constraint", at, { max: 256, fallback: "" });
      const m = model(cap, pipelineOf(cap), modelId);
      m.pricePerUnit = intText(po, "pricePerUnit", at);
      m.pixelsPerUnit = intText(po, "pixelsPerUnit", at);
      if (m.pixelsPerUnit === "0") fail(`${at}.pixelsPerUnit must be positive`);
    });
  }
  // GPUs by pipeline and model; the same physical GPU (id) may appear under several models.
  const gpus: GpuState[] = [];
  const hardware = o.hardware;
  if (hardware !== undefined && hardware !== null) {
    if (!Array.isArray(hardware)) fail(`${where}.hardware must be an array or null`);
    (hardware as unknown[]).forEach((h, i) => {
      const at = `${where}.hardware[${i}]`;
      const ho = obj(h, at);
      const pipeline = pipelineSlug(str(ho, "pipeline", at, { max: 64, fallback: "" }));
      const modelId = str(ho, "model_id", at, { max: 256, fallback: "" });
      if (pipeline && modelId && ![...models.values()].some((m) => m.pipeline === pipeline && m.modelId === modelId)) model(capabilityOf(pipeline), pipeline, modelId);
      const info = ho.gpu_info === undefined || ho.gpu_info === null ? {} : obj(ho.gpu_info, `${at}.gpu_info`);
      for (const [k, g] of Object.entries(info)) {
        const go = obj(g, `${at}.gpu_info.${k}`);
        const name = str(go, "name", `${at}.gpu_info.${k}`, { max: 128, nonEmpty: true }).trim();
        const gpuId = str(go, "id", `${at}.gpu_info.${k}`, { max: 128, fallback: "" }).trim() || `${name}#${k}`;
        const memoryTotal = int(go, "memory_total", `${at}.gpu_info.${k}`, { optional: true, min: 0 });
        gpus.push({ gpuId, name, memoryTotal, pipeline, modelId });
      }
    });
  }
  const version = isObj(caps) ? optStr(caps as Obj, "version", `${where}.capabilities`, 64) : null;
  return {
    address: address(o, "address", where),
    localAddress: optAddress(o, "local_address", where),
    orchUri: uri ? normaliseUrl(uri) : null,
    version,
    gpus: gpus.sort(byGpu),
    models: [...models.values()].sort(byModel),
  };
}

/** What decides whether an orchestrator changed: everything in its state. */
export function stateHash(s: OrchState): string {
  return createHash("sha256").update(JSON.stringify(s)).digest("hex");
}

/** The pipeline slug of a capability id; unknown ids keep their number so nothing is lost. */
export function pipelineOf(cap: number | null): string {
  return cap !== null && AI_CAPABILITIES[cap] ? AI_CAPABILITIES[cap] : `capability-${cap}`;
}

function capabilityOf(pipeline: string): number | null {
  for (const [id, slug] of Object.entries(AI_CAPABILITIES)) if (slug === pipeline) return Number(id);
  return null;
}

function capabilityId(k: string, where: string): number {
  if (!/^-?[0-9]{1,5}$/.test(k)) fail(`${where} has a key that is not a capability id: ${JSON.stringify(k.slice(0, 20))}`);
  return Number(k);
}

function boundedKey(k: string, where: string): string {
  if (k.length > 256) fail(`${where} has a model id longer than 256 characters`);
  // eslint-disable-next-line no-control-regex
  if (/\u0000/.test(k)) fail(`${where} has a model id holding a NUL`);
  return k;
}

function intText(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "string" && /^[0-9]{1,78}$/.test(v)) return BigInt(v).toString();
  return fail(`${where}.${key} must be a non-negative integer`);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byGpu = (a: GpuState, b: GpuState) => cmp(a.gpuId, b.gpuId) || cmp(a.pipeline, b.pipeline) || cmp(a.modelId, b.modelId);
const byModel = (a: ModelState, b: ModelState) => cmp(a.pipeline, b.pipeline) || cmp(a.modelId, b.modelId);
