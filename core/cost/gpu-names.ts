// GPU names as the network reports them (nvidia-smi names in /getNetworkCapabilities, e.g. "NVIDIA
// GeForce RTX 4090", "NVIDIA A100-SXM4-40GB", "Tesla P4") to the price catalogue's join key
// (cloud-prices.csv `gpu_key`, e.g. RTX4090, A100), plus the variant a name or a catalogue `gpu`
// text states (memory, SXM / PCIe / NVL), so a rental of another variant is labelled, never
// silently taken for the same card. Pure. The rules are in indexer/data/README.md ("GPU names").

/** What a GPU name says. */
export interface GpuIdentity {
  /** Catalogue join key (RTX4090, RTX4070TiSUPER, A100, A4000, RTX6000Ada, P4, ...); null: not recognised. */
  key: string | null;
  /** The model in words ("RTX 4070 Ti SUPER", "A100"); the name itself when not recognised. */
  label: string;
  /** Memory the name states ("A100-SXM4-40GB" -> 40); null when it states none. */
  memoryGb: number | null;
  formFactor: FormFactor | null;
  /** A laptop part ("... Laptop GPU"): another chip than the desktop card of the same number. */
  laptop: boolean;
}

export type FormFactor = "SXM" | "PCIe" | "NVL";

const clean = (s: string) => s.replace(/[_]+/g, " ").replace(/\s+/g, " ").trim();

/** Memory in GB and form factor stated by a name or a catalogue `gpu` text ("A100 80GB SXM", "H100 NVL 94GB"). */
export function gpuVariant(text: string | null | undefined): { memoryGb: number | null; formFactor: FormFactor | null } {
  const t = clean(text ?? "");
  const mem = /(?:^|[^0-9A-Za-z])(\d{1,3})\s*GB\b/i.exec(t);
  const formFactor: FormFactor | null = /\bSXM\d?\b/i.test(t) ? "SXM" : /\bPCI-?e\b/i.test(t) ? "PCIe" : /\bNVL\b/i.test(t) ? "NVL" : null;
  return { memoryGb: mem ? Number(mem[1]) : null, formFactor };
}

/** Rules in order (the first that matches wins): workstation and Ada names before GeForce numbers. */
const RULES: { re: RegExp; make: (m: RegExpExecArray) => { key: string; label: string } }[] = [
  // RTX PRO 6000 Blackwell (and its Server / Max-Q editions)
  { re: /\bRTX\s*PRO\s*(\d{4})\b/i, make: (m) => ({ key: `RTXPRO${m[1]}`, label: `RTX PRO ${m[1]}` }) },
  // RTX 6000 Ada Generation, RTX 4000 SFF Ada Generation
  {
    re: /\bRTX\s*(\d{4})\s*(SFF\s*)?Ada\b/i,
    make: (m) => ({ key: `RTX${m[1]}${m[2] ? "SFF" : ""}Ada`, label: `RTX ${m[1]}${m[2] ? " SFF" : ""} Ada` }),
  },
  // RTX A4000, RTX A6000, RTX A4500, RTX A2000 (Ampere workstation)
  { re: /\bRTX\s*(A\d{4})\b/i, make: (m) => ({ key: m[1].toUpperCase(), label: `RTX ${m[1].toUpperCase()}` }) },
  // Quadro RTX 8000 / 6000 / 5000 (Turing workstation)
  { re: /\bQuadro\s+RTX\s*(\d{4})\b/i, make: (m) => ({ key: `QuadroRTX${m[1]}`, label: `Quadro RTX ${m[1]}` }) },
  // TITAN RTX, TITAN V, TITAN Xp
  { re: /\bTITAN\s+(RTX|V|Xp|X)\b/i, make: (m) => ({ key: `TITAN${m[1].toUpperCase()}`, label: `TITAN ${m[1]}` }) },
  // GeForce RTX 4090, RTX 4070 Ti SUPER, RTX 4090 D, GTX 1080 Ti
  {
    re: /\b(RTX|GTX)\s*(\d{3,4})(?:\s*(Ti))?(?:\s*(SUPER))?(?:\s+(D))?(?=\s|$|[^A-Za-z0-9])/i,
    make: (m) => {
      const series = m[1].toUpperCase();
      const ti = m[3] ? "Ti" : "";
      const sup = m[4] ? "SUPER" : "";
      const d = m[5] ? "D" : "";
      return { key: `${series}${m[2]}${ti}${sup}${d}`, label: [series, m[2], ti, sup, d].filter(Boolean).join(" ") };
    },
  },
  // Data-centre parts: A100-SXM4-40GB, H100 80GB HBM3, H100 NVL, L40S, A10G, Tesla T4, Tesla P4, ...
  {
    re: /\b(GH200|GB200|GB300|B300|B200|B100|H200|H100|H800|H20|A800|A100|A40|A30|A16|A10G|A10|A2|L40S|L40|L20|L4|T4|V100S|V100|P100|P40|P4|K80|M60)\b/i,
    make: (m) => ({ key: m[1].toUpperCase(), label: m[1].toUpperCase() }),
  },
  // AMD Instinct MI300X, MI250X
  { re: /\b(MI\d{2,3}[A-Z]?)\b/, make: (m) => ({ key: m[1], label: `Instinct ${m[1]}` }) },
  // AMD Radeon RX 7900 XTX
  {
    re: /\bRadeon\s+(?:RX\s*)?(\d{4})(?:\s*(XTX|XT|GRE))?\b/i,
    make: (m) => ({ key: `RX${m[1]}${m[2] ? m[2].toUpperCase() : ""}`, label: `Radeon RX ${m[1]}${m[2] ? ` ${m[2].toUpperCase()}` : ""}` }),
  },
];

/**
 * The catalogue key of a GPU name. Vendor words (NVIDIA, GeForce, Tesla) do not matter; memory and
 * form factor are not part of the key (the catalogue's A100 covers 40 and 80 GB, SXM and PCIe):
 * they are returned apart for the variant check. A laptop part gets its own key ("RTX4090Laptop"),
 * so it never takes a desktop card's price. Unknown names give key null.
 */
export function gpuIdentity(name: string): GpuIdentity {
  const text = clean(name);
  const { memoryGb, formFactor } = gpuVariant(text);
  const laptop = /\b(Laptop|Mobile|Max-Q)\b/i.test(text);
  for (const rule of RULES) {
    const m = rule.re.exec(text);
    if (!m) continue;
    const { key, label } = rule.make(m);
    return { key: laptop ? `${key}Laptop` : key, label: laptop ? `${label} Laptop` : label, memoryGb, formFactor, laptop };
  }
  return { key: null, label: text, memoryGb, formFactor, laptop };
}

/** The catalogue key of a GPU name, or null when not recognised. */
export const gpuKeyOf = (name: string): string | null => gpuIdentity(name).key;

/** Keys compare without case, spaces, dashes or underscores ("rtx 4090" is RTX4090). */
export function normaliseGpuKey(key: string): string {
  return key.replace(/[\s_-]+/g, "").toUpperCase();
}

export const sameGpuKey = (a: string | null | undefined, b: string | null | undefined): boolean =>
  Boolean(a && b && normaliseGpuKey(a) === normaliseGpuKey(b));

/** GPU memory as makers count it: whole GiB (2^30 bytes); 25,757,220,864 bytes is 24. */
export const memoryGbOfBytes = (bytes: number | null | undefined): number | null => (bytes === null || bytes === undefined ? null : Math.round(bytes / 2 ** 30));

/**
 * How a catalogue offer's GPU differs from the network's card, where both sides state it: memory
 * ("80 GB vs 40 GB") and form factor ("PCIe vs SXM"). Empty when nothing stated differs.
 */
export function variantDifferences(network: { name: string; memoryBytes?: number | null }, offerGpu: string | null | undefined): string[] {
  const n = gpuIdentity(network.name);
  const o = gpuVariant(offerGpu);
  const netMemory = n.memoryGb ?? memoryGbOfBytes(network.memoryBytes);
  const out: string[] = [];
  // Cards report a little less than their nominal size (a 24 GB card: 23.99 GiB): a 1 GB slack.
  if (o.memoryGb !== null && netMemory !== null && Math.abs(o.memoryGb - netMemory) > 1) out.push(`${o.memoryGb} GB vs ${netMemory} GB`);
  if (o.formFactor !== null && n.formFactor !== null && o.formFactor !== n.formFactor) out.push(`${o.formFactor} vs ${n.formFactor}`);
  return out;
}
